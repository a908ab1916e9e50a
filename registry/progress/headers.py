"""Header text of 调度 sheets: normalising it, telling what each column holds, and the year, month range and
unit it states. Spellings follow ../shared/docs/progress_formats.md §2 (ten real layouts)."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Columns the importer reads; everything else (建设单位, 责任单位, percentages …) is left alone.
CODE, NAME, TOTAL, PLAN, COMPLETED, IMAGE, ISSUES, SEQ = (
    "code", "name", "total", "plan", "completed", "image", "issues", "seq")
LABELS = {CODE: "项目编号", NAME: "项目名称", TOTAL: "总投资", PLAN: "年度计划投资", COMPLETED: "累计完成投资",
          IMAGE: "形象进度", ISSUES: "存在问题", SEQ: "序号"}
AMOUNT_ROLES = (TOTAL, PLAN, COMPLETED)

_DASHES = re.compile(r"[～~—–－至到]")
_RANGE = re.compile(r"(?:(\d{4})年)?(?:1-)(\d{1,2})月")  # 1-6月, 2025年1-6月
_MONTH_ONLY = re.compile(r"(\d{4})年(\d{1,2})月累计")  # 2019年2月累计完成投资
_YEAR = re.compile(r"(\d{4})年")
_UNIT = re.compile(r"(万元|亿元)")


def normalise(text: object) -> str:
    """Full-width forms folded (NFKC: （）→(), full-width spaces), every space and line break removed, dashes
    in month ranges unified (1～6月, 1—6月 → 1-6月)."""
    if text is None:
        return ""
    folded = unicodedata.normalize("NFKC", str(text))
    folded = re.sub(r"\s+", "", folded)
    return _DASHES.sub("-", folded)


def role_of(header: str) -> str | None:
    """What a column holds, from its flattened header path ("parent/child"), or None if not read."""
    h = header
    leaf = h.rsplit("/", 1)[-1]
    if "%" in h or "率" in leaf or "比例" in leaf or "占" in leaf or "排名" in leaf:
        return None
    if leaf == "序号":
        return SEQ
    if leaf in ("项目编号", "项目代码", "编号", "代码", "项目编码"):
        return CODE
    if leaf in ("项目名称", "工程名称", "名称") or leaf.startswith("项目名称"):
        return NAME
    if "形象进度" in leaf or "进展情况" in leaf:
        return IMAGE
    if "问题" in leaf and "解决" not in leaf:
        return ISSUES
    before_year = any(w in h for w in ("开工至", "年底", "上一年", "上年", "十一五", "十二五"))
    if "总投资" in leaf and "累计" not in leaf and "完成" not in leaf:
        return TOTAL
    if ("计划投资" in leaf or "投资计划" in leaf) and "月" not in leaf and "累计" not in leaf and not before_year:
        return PLAN
    # Year-to-date only: 1-6月累计完成投资 or 年度累计完成额, never the month's own 6月完成投资.
    if "完成" in leaf and ("投资" in h or "额" in leaf) and not before_year and (
            "累计" in leaf or _RANGE.search(leaf)):
        return COMPLETED
    return None


@dataclass(frozen=True)
class Period:
    year: int | None
    month: int | None


def period_in(text: str) -> Period:
    """The year and last month a header or title states: `2025年1-6月…` → (2025, 6)."""
    m = _RANGE.search(text)
    if m:
        year = int(m.group(1)) if m.group(1) else None
        if year is None:
            y = _YEAR.search(text)
            year = int(y.group(1)) if y else None
        return Period(year, int(m.group(2)))
    m = _MONTH_ONLY.search(text)
    if m:
        return Period(int(m.group(1)), int(m.group(2)))
    y = _YEAR.search(text)
    return Period(int(y.group(1)) if y else None, None)


def unit_in(text: str) -> str | None:
    """万元 or 亿元 if the text states exactly one of them."""
    units = set(_UNIT.findall(text))
    return units.pop() if len(units) == 1 else None
