"""Problems (registry.errors.Problem) in Chinese, for the Chinese interface.

The validator and the importer write each problem's message and expectation in English (the CLI, JSON and
tests read them so); the Chinese pages show them through `in_chinese`, like a message catalogue keyed by
the English text. A text not listed is shown as written."""
from __future__ import annotations

import re
from collections.abc import Callable

from registry.fields import STATUSES
from registry.money import EXPECTED as AMOUNT_EXPECTED
from registry.validate import CODE_EXPECTED

STATUS_CHOICES = " / ".join(STATUSES)

EXACT = {
    # validator (registry/validate.py) and the edit form
    "missing": "必填", "unknown status": "未知状态", "unknown type": "未知建设性质", "not a year": "不是年份",
    "year out of range": "年份超出范围", "ends before it starts": "竣工早于开工", "not a list": "应为列表",
    "not a number": "不是数字", "out of range": "超出范围", "unknown industry chain": "产业链不存在",
    "unknown strategy": "区域战略不存在", "not a yes/no value": "应为是/否",
    "a four-digit year such as 2023": "四位数的年份，如 2023", "a year between 1949 and 2100": "1949 到 2100 之间的年份",
    "a list of names": "名称列表", "a stable project code": "固定的项目编号", "the project name": "项目名称",
    CODE_EXPECTED: "字母、数字和 - _ .，如 2023-B1-001（不含 / \\ ? #、空格或控制字符）",
    STATUS_CHOICES: " / ".join("未注明" if s == "unknown" else s for s in STATUSES),
    "contains whitespace": "含有空格", "only one coordinate given": "只给了一个坐标", "both longitude and latitude": "经度和纬度都要填",
    "true or false": "是或否", "source without a document": "来源缺少文件名",
    # importer (registry/importer)
    "formula cell: formulas are never evaluated": "公式单元格：公式一律不计算",
    "a plain value (type the value, or start the text with ')": "普通值（直接填写数值，或在文字前加 '）",
    "a plain value": "普通值", "plain text": "普通文字", "contains a NUL character": "含有空字符（NUL）",
    "coordinates without their system (a wrong guess moves a project ~600 m)": "坐标未注明坐标系（猜错会让项目偏移约 600 米）",
    "wgs84 (GPS, 天地图) / gcj02 (高德, 腾讯) / bd09 (百度)": "wgs84（GPS、天地图）/ gcj02（高德、腾讯）/ bd09（百度）",
    "each project once per file": "每个项目在一个文件中只出现一次", "not a finite number": "不是有限数值",
    "negative amount": "金额为负", "a unit without a number": "只有单位，没有数字",
    "thousands separators must group three digits (1,200); a decimal comma is ambiguous":
        "千位分隔符须每三位一组（如 1,200）；小数逗号有歧义",
    "scientific notation, underscores and hex are not accepted for amounts": "金额不接受科学计数法、下划线或十六进制",
    "an approximate amount or a range is not a number: keep it as 投资额原文 and leave the amount empty":
        "约数或区间不是确定金额：请写入“投资额原文”，金额留空", "not a plain amount": "不是普通金额", "implausibly large": "数额大得不合理", "是 or 否": "是或否",
    AMOUNT_EXPECTED: "普通金额，如 120、12.5 或 1,200（每三位一组），可带“亿元”或“万元”",
}

_WHAT = {"district": "区县", "development zone": "开发区", "industry chain": "产业链", "strategy": "区域战略",
         "regional strategy": "区域战略"}


def _what(text: str) -> str:
    bare = re.sub(r"\s*\(.*\)$", "", text).strip()
    return _WHAT.get(bare, bare)


PATTERNS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    (re.compile(r"a year ≥ (\d+)"), lambda m: f"不早于 {m[1]} 年"),
    (re.compile(r"无法确定金额：(.*)"), lambda m: f"无法确定金额：{in_chinese(m[1])}"),
    (re.compile(r"contains an invisible or control character \((U\+[0-9A-F]+)\)"),
     lambda m: f"含有不可见字符或控制字符（{m[1]}）"),
    (re.compile(r"contains an? [a-z ]+ '(.)'"), lambda m: f"含有不允许的字符 {m[1]}"),
    (re.compile(r"(\d+) characters"), lambda m: f"{m[1]} 个字符"),
    (re.compile(r"at most (\d+) characters"), lambda m: f"不超过 {m[1]} 个字符"),
    (re.compile(r"unreadable value \((.*)\)"), lambda m: f"无法读取的值（{m[1]}）"),
    (re.compile(r"an amount in (\S+) ≥ 0"), lambda m: f"以{m[1]}计的金额，不小于 0"),
    (re.compile(r"an amount in (\S+)"), lambda m: f"以{m[1]}计的金额"),
    (re.compile(r"(.+) \(column unit: (\S+)\)", re.DOTALL), lambda m: f"{in_chinese(m[1])}（本列单位：{m[2]}）"),
    (re.compile(r"(.*) is not a plain non-negative amount in 亿元 \(expected digits such as 12\.3\)"),
     lambda m: f"{m[1]} 不是非负的普通金额（亿元）"),
    (re.compile(r"(.*) is not a number \(expected an amount in 亿元 such as 12\.3\)"), lambda m: f"{m[1]} 不是数字"),
    (re.compile(r"the same project as row (\d+)"), lambda m: f"与第 {m[1]} 行是同一个项目"),
    (re.compile(r"unknown (.+)"), lambda m: f"未知的{_what(m[1])}"),
    (re.compile(r"ambiguous (.+?): use one of the codes (.+)"), lambda m: f"{_what(m[1])}有多个匹配，请填写编码之一：{m[2]}"),
    (re.compile(r"a code or a name such as (.+)"), lambda m: f"编码或名称，如 {m[1]}"),
)


def in_chinese(text: str) -> str:
    """A problem's message or expectation as the Chinese interface shows it."""
    if not text or text in EXACT:
        return EXACT.get(text, text)
    for pattern, words in PATTERNS:
        found = pattern.fullmatch(text)
        if found:
            return words(found)
    return text
