"""Per-item facts other than money: capacity, parties, years, construction type, kind, strategies."""
from __future__ import annotations

import re

# Clauses that state a size or output.
_CAPACITY = re.compile(
    r"全长|年产(?!值)|占地|建筑面积|总面积|用地|床位|时速|生产能力|机位|跑道|工位|宽\d|\d+轨|\d+座|\d+条|"
    r"\d+(?:\.\d+)?(?:GW|MW|万吨|万平方米|平方米|平米|㎡|亩|公里|万台|台套)"
)
_BUILDER = re.compile(r"由(?P<who>[^，。；]{2,30}?)(?:投资建设|投资|建设)")
_INVESTOR_LEAD = re.compile(r"^(?P<who>[^，。；]{4,30}?(?:公司|集团))投资")
_PARTNERS = re.compile(r"由(?P<a>[^，。；]{2,30}?)与(?P<b>[^，。；]{2,30}?)(?:合作|共同)")
_JOINT = re.compile(r"(?:联合|依托)(?P<who>[^，。；]{2,30}?(?:公司|集团|大学|研究院|附中|国际))")
# "A联合B…投资" (001 专栏2 2.): A is a party too; "A、B、C共同签署协议" (专栏1 (11)); "华为及华为生态合作伙伴
# 共同参与" (专栏3).
_JOINT_LEAD = re.compile(r"(?:^|。)(?P<who>[^，。；、]{4,20}?)联合")
_AMOUNT_CLAUSE = re.compile(r"投资(?:初步)?(?:测算|估算)?约?\d|亿元|万元")
_SIGNED = re.compile(r"(?:^|[，。])(?P<list>[^，。；]{4,60}?)共同签署")
_TAKES_PART = re.compile(r"[，。](?:由政府主导，)?(?P<who>[^，。、及]{2,12}?)及[^，。]{0,12}?共同参与")
# Home regions as a party's own name states them (上海圆通速递有限公司 → 上海), or as the text states the
# partners' origin ("引进京津冀龙头企业"). Province-level names and the cities the plans name.
_REGION_WORDS = (
    "北京", "天津", "上海", "重庆", "河北", "山西", "内蒙古", "辽宁", "吉林", "黑龙江", "江苏", "浙江", "安徽",
    "福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "广西", "海南", "四川", "贵州", "云南", "西藏",
    "陕西", "甘肃", "青海", "宁夏", "新疆", "香港", "澳门", "台湾", "深圳", "广州", "杭州", "南京", "苏州", "雄安",
)
_ORIGIN = re.compile(r"引进(?P<region>京津冀|长三角|粤港澳)")
_YEARS = re.compile(r"(?P<y>20\d\d)年(?P<what>开工|建成|竣工)")


def capacity_text(text: str) -> str | None:
    """The clauses stating capacity, joined with '；' (at most three), or None."""
    # A clause stating the amount is not capacity; "建设投资…单晶炉450台套" is.
    clauses = [c for c in re.split(r"[，。；]", text) if c and _CAPACITY.search(c) and not _AMOUNT_CLAUSE.search(c)]
    return "；".join(clauses[:3]) or None


def builder(text: str) -> str | None:
    match = _INVESTOR_LEAD.search(text) or _BUILDER.search(text)
    if not match or _PARTNERS.search(text):
        return None
    return match["who"]


def partners(text: str) -> list[str]:
    out: list[str] = []
    pair = _PARTNERS.search(text)
    if pair:
        out += [pair["a"], pair["b"]]
    lead = _JOINT_LEAD.search(text)
    if lead:
        out.append(lead["who"])
    out += [m["who"] for m in _JOINT.finditer(text)]
    for signed in _SIGNED.finditer(text):
        out += [who for who in signed["list"].split("、") if len(who) >= 2]
    out += [m["who"] for m in _TAKES_PART.finditer(text)]
    return list(dict.fromkeys(out))


def partner_regions(parties: list[str], text: str) -> list[str]:
    """Regions the parties' names start with, then origins the text states, in order, once each."""
    out = [word for who in parties for word in _REGION_WORDS if who.startswith(word)]
    out += [m["region"] for m in _ORIGIN.finditer(text)]
    return list(dict.fromkeys(out))


def years(text: str) -> tuple[int | None, int | None]:
    start = end = None
    for match in _YEARS.finditer(text):
        if match["what"] == "开工":
            start = int(match["y"])
        else:
            end = int(match["y"])
    return start, end


def construction_type(name: str) -> str | None:
    """Only what the name says: …改扩建 / …扩建 / …新建 / …续建."""
    if "改扩建" in name or "扩建" in name:
        return "改扩建"
    if name.endswith("新建"):
        return "新建"
    if "续建" in name:
        return "续建"
    return None


_KIND_RULES: list[tuple[str, str]] = [
    ("基础设施", r"基础设施|交通|道路|电网|供水|供热|输气|管道|铁路|高速|机场|轨道|国道|通道|市政|新基建|公路|管网|号线|东延|南延|北延|西延|大街|磁浮"),
    ("生态", r"(?<!产业)生态(?!园)|湿地|河道|治理|污水|垃圾|雨污|绿化|搬迁改造"),
    ("文化旅游", r"文化|旅游|文旅|景区"),
    ("公共服务", r"教育|医疗|卫生|健康|学校|学院|医院|体育|就业|兴医|兴体"),
    ("创新平台", r"创新体系|创新中心|实验室|科技力量"),
    ("能源", r"能源|光伏|风电|氢能|电力|煤炭"),
    ("物流", r"物流"),
    ("农业", r"农业"),
    ("服务业", r"服务业"),
    ("城市片区", r"片区"),
]


def kind(group: str | None, box_title: str | None, name: str) -> str:
    """Category from the group heading first, then the box title, then the name; default 产业."""
    for text in (group, box_title, name):
        if not text:
            continue
        for label, pattern in _KIND_RULES:
            if re.search(pattern, text):
                return label
    return "产业"


# Strategy by the box or section title that holds the item.
_STRATEGY_RULES: list[tuple[str, tuple[str, ...]]] = [
    ("京津冀", ("jjj",)), ("长三角", ("yrd",)), ("粤港澳", ("gba",)), ("一带一路", ("bri",)),
    ("汾河", ("yellow_river", "fenhe")), ("黄河", ("yellow_river",)),
    ("中部城市群", ("central_shanxi",)), ("太原晋中一体化", ("tai_jin",)), ("太忻", ("tai_xin",)),
]
# Corridors the item's own name places it on.
_CORRIDOR_RULES: list[tuple[str, str]] = [
    (r"大盂—盂县", "dayu_yuxian"), (r"雄忻高铁", "xiong_xin_hsr"), (r"太原—阳泉—石家庄", "ty_yq_sjz"),
    (r"汾河", "fenhe"), (r"太原至忻州|太忻", "tai_xin"), (r"108国道|国道108|太忻大道", "taixin_axis"),
]


# A site the plan names as a node of a strategy: "中鼎物流园:…“一带一路”东西物流大通道的重要物流节点" (004 专栏5-1).
_NODE_RULES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"一带一路[^。；，]{0,20}节点"), "bri"),
]


def node_strategies(passage: str) -> list[str]:
    """Strategies whose node the item's own passage names it."""
    return [code for pattern, code in _NODE_RULES if pattern.search(passage)]


def strategies(context_title: str | None, name: str) -> list[str]:
    out: list[str] = []
    for word, codes in _STRATEGY_RULES:
        if context_title and word in context_title:
            out += codes
    out += [code for pattern, code in _CORRIDOR_RULES if re.search(pattern, name)]
    return list(dict.fromkeys(out))
