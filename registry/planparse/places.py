"""Place words, districts and zones — only where the text states them; the geocoder decides the rest."""
from __future__ import annotations

import re

DISTRICTS: dict[str, str] = {
    "小店": "140105", "迎泽": "140106", "杏花岭": "140107", "尖草坪": "140108", "万柏林": "140109",
    "晋源": "140110", "清徐": "140121", "阳曲": "140122", "娄烦": "140123", "古交": "140181",
}
# Names that contain a district word but are not that district: a short form followed by a street word
# (迎泽大街, 迎泽西大街, 迎泽公园), and sub-areas elsewhere.
_STREET_AFTER = r"[东西南北中]?(?:大街|大道|街(?!道)|路|巷|桥|公园)"
_FALSE_DISTRICT = re.compile(rf"(?:{'|'.join(DISTRICTS)})(?={_STREET_AFTER})|小店车辆段|晋源东区")

# Longest alias first, so 山西转型综改示范区 wins over 综改示范区. Bare 示范区 is too ambiguous to use.
ZONE_ALIASES: list[tuple[str, str]] = sorted(
    [
        ("山西转型综合改革示范区", "zgq"), ("山西转型综改示范区", "zgq"), ("山西综改示范区", "zgq"),
        ("综改示范区", "zgq"), ("综改区", "zgq"),
        ("中北高新技术产业开发区", "zbgx"), ("中北高新区", "zbgx"),
        ("西山生态文化旅游示范区", "xishan"), ("西山生态文化旅游开发区", "xishan"),
        ("清徐经济开发区", "qingxu_etdz"), ("阳曲现代农业产业开发区", "yangqu_agri"),
        ("太原不锈钢产业园区", "stainless"), ("古交经济技术开发区", "gujiao_etdz"),
        ("学府园区", "xuefu"), ("唐槐园区", "tanghuai"), ("潇河产业园区", "xiaohe"), ("潇河产业园", "xiaohe"),
        ("阳曲园区", "yangqu_park"), ("汾东创新城", "fendong"), ("武宿综合保税区", "wusu_ftz"),
        ("大盂产业新城", "dayu"), ("晋阳湖片区", "jinyang_lake"),
    ],
    key=lambda pair: -len(pair[0]),
)

# Site phrases: 选址于…, 位于…, 起自…, 北起…南至…, 落户….
_SITE = re.compile(
    r"(?:拟选址|选址于?|终点位于|位于|起自|北起|南至|落户|坐落于)(?P<place>[^，。；、]{2,30})"
)
_SECTION = re.compile(r"(?P<place>[^，。；、(对有]{2,10}段)\((?P<range>[^)]{2,30})\)")
# "分为清徐段、小店段、晋源段", "主要实施娄烦县、古交市汾河干流…": lists of districts the works cross.
_SPLIT_INTO = re.compile(r"分为(?P<place>[^，。；]{2,30}段)")
_COUNTY_LIST = re.compile(r"实施(?P<place>(?:[^，。；、]{2,3}[县市区]、)*[^，。；、]{2,3}[县市区])")
# "主要对新兰路至泥屯镇黄东线进行市政化改造" (001 专栏5 4.), "新建阳曲西至迎泽西至清徐线路" (专栏5 2.),
# "改造山西北方机械控股有限公司原太原兵工厂旧址" (专栏1 (15)).
_WORKS_ON = re.compile(r"对(?P<place>[^，。；、按]{4,30}?)进行|新建(?P<line>[^，。；、]{2,20}?至[^，。；、]{2,20}?)线路"
                       r"|改造(?P<old>[^，。；、]{4,30}?旧址)")
# 河北 inside a river's name (汾河北段) is no province.
_OTHER_CITIES = re.compile(r"北京|天津|上海|深圳|广州|(?<![汾黄潇])河北|雄安|杭州|南京|苏州|阳泉市|忻州市|晋中市|吕梁市|绥德")


def site_phrases(text: str) -> list[str]:
    """Place words that say where a project is: '阳泉市盂县梁家寨东', '清徐韩武村出境段'."""
    found = [m["place"] for m in _SITE.finditer(text) if not m["place"].startswith(("及", "和"))]
    found += [m["place"] for m in _SPLIT_INTO.finditer(text)]
    found += [m["place"] for m in _COUNTY_LIST.finditer(text)]
    found += [m["place"] or m["line"] or m["old"] for m in _WORKS_ON.finditer(text)]
    found += [f"{m['place']}({m['range']})" for m in _SECTION.finditer(text)]
    return list(dict.fromkeys(found))


def districts_named(text: str) -> list[str]:
    """Adcodes of Taiyuan districts/counties the text names, in order of first mention."""
    text = _FALSE_DISTRICT.sub("", text)
    hits = sorted((text.find(word), code) for word, code in DISTRICTS.items() if word in text)
    return list(dict.fromkeys(code for _, code in hits))


def zones_named(text: str) -> list[str]:
    out: list[str] = []
    rest = text
    for alias, code in ZONE_ALIASES:
        if alias in rest:
            out.append(code)
            rest = rest.replace(alias, "")
    return list(dict.fromkeys(out))


def names_other_city(text: str) -> bool:
    return bool(_OTHER_CITIES.search(text))
