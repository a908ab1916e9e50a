"""/stats in English: registry/stats words its charts in Chinese (the JSON twin and the saved SVGs keep
that); the English page rewrites the titles, the interface bar labels and the known note sentences. A
sentence not listed here stays Chinese, and tests/test_english.py says so."""
from __future__ import annotations

import re
from collections.abc import Callable

from registry.stats import Bar, Chart
from web.i18n import STATUS_WORDS

TITLES = {"chains": "Industry chain", "strategies": "Regional strategy (stated by a plan)", "districts": "District",
          "zones": "Development zone", "statuses": "Status", "bands": "Investment size"}
BANDS = {"lt1": "under 1 亿元", "1-10": "1–10 亿元", "10-50": "10–50 亿元", "50-100": "50–100 亿元",
         "ge100": "100 亿元 and more", "none": "without an amount"}
NONE = {"未列产业链": "have no industry chain", "未列区域战略": "have no regional strategy stated by a plan",
        "未落到区县（全市、市外或位置未知）": "are not placed in a district (city-wide, outside Taiyuan or unknown)",
        "不在任何开发区": "are in no development zone"}
SVG_WORDS = {"count": "Projects", "sum": "Total investment (亿元)", "without": "Without an amount",
             "empty": "No project matches.",
             "row": "{label}: {count} projects, total investment {sum} 亿元, {without} without an amount"}


def _others(m: re.Match[str]) -> str:
    return f"{m[1]} more projects {NONE.get(m[2], m[2])}."


SENTENCES: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    (re.compile(r"另有 (\d+) 个项目(.+)"), _others),
    (re.compile(r"一个项目可属于多个.+，各条之和可能大于项目总数"),
     lambda m: "A project can be in several: the bars may add up to more than the project count."),
    (re.compile(r"(.+?)(等)?只计直接标注的项目（与列表筛选栏一致），点开的列表含其下级"),
     lambda m: f"{m[1].replace('、', ', ')}{' and others' if m[2] else ''} count only the projects tagged with "
               "them directly (as the list's filter does); their lists include their children."),
    (re.compile(r"区间按总投资（亿元）划分，含下限不含上限"),
     lambda m: "Bands of total investment (亿元): the lower bound is included, the upper one is not."),
    (re.compile(r"只画出前 (\d+) 项，其余 (\d+) 项见 stats\.json"),
     lambda m: f"Only the first {m[1]} are drawn; the other {m[2]} are in stats.json."),
)


def _sentence(text: str) -> str:
    for pattern, english in SENTENCES:
        found = pattern.fullmatch(text)
        if found:
            return english(found)
    return text + "。"


def _bar(chart: Chart, bar: Bar) -> Bar:
    if chart.key == "statuses":
        label = STATUS_WORDS["en"].get(bar.code, bar.label)
    elif chart.key == "bands":
        label = BANDS.get(bar.code, bar.label)
    else:
        return bar  # names of chains, strategies, districts and zones are data
    return Bar(bar.code, label, bar.count, bar.investment_sum, bar.without_amount, bar.params)


def english(chart: Chart) -> Chart:
    """The chart with English words; one note sentence a line."""
    note = "\n".join(_sentence(s) for s in chart.note.split("。") if s)
    return Chart(chart.key, TITLES.get(chart.key, chart.title), tuple(_bar(chart, b) for b in chart.bars), note)
