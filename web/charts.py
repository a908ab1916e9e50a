"""Bar charts as SVG drawn on the server: no script library, works offline, saves as a file for slides.

One row per bar: the label, a bar for the project count, a bar for 总投资 (亿元) and how many have no
amount. Each row links to the list filtered to it."""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr

from registry.progress.dashboard import Completion
from registry.stats import Bar, Chart

ROW, TOP, LABEL_W, COUNT_W, SUM_W, GAP = 24, 46, 190, 200, 230, 16
COUNT_TEXT, SUM_TEXT = 40, 80  # room kept after the longest bar for its figure
NOTE_LINE = 18
WIDTH = LABEL_W + COUNT_W + SUM_W + 3 * GAP + 90
COUNT_COLOUR, SUM_COLOUR = "#8b1a1a", "#2f6f9f"
FONT = "Noto Sans CJK SC, Microsoft YaHei, PingFang SC, sans-serif"


def _short(label: str, limit: int = 13) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _amount(value: Decimal) -> str:
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return text or "0"


# The chart's own words; web/stats_words.py holds the English.
WORDS = {"count": "项目数", "sum": "总投资（亿元）", "without": "未列投资额", "empty": "没有符合条件的项目。",
         "row": "{label}：{count} 个项目，总投资 {sum} 亿元，{without} 个未列投资额"}


def render_svg(chart: Chart, href: Callable[[Bar], str | None], *, standalone: bool = False,
               words: dict[str, str] | None = None) -> str:
    """The chart as one <svg>; `href` gives each bar's list link (None: the bar has no list)."""
    w = words or WORDS
    bars = chart.bars
    most = max((b.count for b in bars), default=0) or 1
    richest = max((b.investment_sum for b in bars), default=Decimal(0)) or Decimal(1)
    # One sentence a line: Chinese notes end each with 。, English ones (web/stats_words.py) with a newline.
    notes = [n + "。" for n in chart.note.split("。") if n] if "。" in chart.note else [n for n in chart.note.split("\n") if n]
    height = TOP + ROW * max(len(bars), 1) + 12 + NOTE_LINE * len(notes)
    x_count = LABEL_W + GAP
    x_sum = x_count + COUNT_W + GAP
    x_none = x_sum + SUM_W + GAP
    out = [(f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" '
            f'height="{height}" role="img" aria-label={quoteattr(chart.title)} font-family="{FONT}" font-size="13">')]
    if standalone:
        out.append(f'<rect width="{WIDTH}" height="{height}" fill="#fff"/>')
    out.append(f'<text x="0" y="18" font-size="15" font-weight="700">{escape(chart.title)}</text>')
    out.append(f'<text x="{x_count}" y="38" fill="{COUNT_COLOUR}">{escape(w["count"])}</text>'
               f'<text x="{x_sum}" y="38" fill="{SUM_COLOUR}">{escape(w["sum"])}</text>'
               f'<text x="{x_none}" y="38" fill="#52606d">{escape(w["without"])}</text>')
    for i, bar in enumerate(bars):
        y = TOP + i * ROW
        w_count = max(1.0, (COUNT_W - COUNT_TEXT) * bar.count / most) if bar.count else 0
        w_sum = float((SUM_W - SUM_TEXT) * bar.investment_sum / richest) if bar.investment_sum else 0
        tip = w["row"].format(label=bar.label, count=bar.count, sum=_amount(bar.investment_sum),
                              without=bar.without_amount)
        row = (f'<title>{escape(tip)}</title>'
               f'<rect class="hit" x="0" y="{y}" width="{WIDTH}" height="{ROW}" fill="transparent"/>'  # whole row clicks
               f'<text x="{LABEL_W}" y="{y + 16}" text-anchor="end">{escape(_short(bar.label))}</text>'
               f'<rect x="{x_count}" y="{y + 4}" width="{w_count:.1f}" height="16" fill="{COUNT_COLOUR}"/>'
               f'<text x="{x_count + w_count + 4:.1f}" y="{y + 16}">{bar.count}</text>'
               f'<rect x="{x_sum}" y="{y + 4}" width="{w_sum:.1f}" height="16" fill="{SUM_COLOUR}"/>'
               f'<text x="{x_sum + w_sum + 4:.1f}" y="{y + 16}">{_amount(bar.investment_sum)}</text>'
               f'<text x="{x_none}" y="{y + 16}" fill="#52606d">{bar.without_amount}</text>')
        link = href(bar)
        attrs = f'class="bar" data-code={quoteattr(bar.code)} data-count="{bar.count}"'
        out.append(f'<a href={quoteattr(link)} {attrs}>{row}</a>' if link else f'<g {attrs}>{row}</g>')
    if not bars:
        out.append(f'<text x="{x_count}" y="{TOP + 16}" fill="#52606d">{escape(w["empty"])}</text>')
    for i, note in enumerate(notes):  # one sentence a line: SVG text does not wrap
        y = TOP + ROW * max(len(bars), 1) + 14 + NOTE_LINE * i
        out.append(f'<text x="0" y="{y}" font-size="12" fill="#52606d">{escape(note)}</text>')
    out.append("</svg>")
    return "".join(out)


RATE_W, RATE_MAX = 300, 150  # the completion bar's width and the percent it spans (beyond is drawn at the end)
RATE_COLOUR, TIME_COLOUR = "#2f6f9f", "#d73027"


def render_completion_svg(title: str, rows: Sequence[Completion], time_percent: float | None,
                          href: Callable[[Completion], str | None], words: Mapping[str, str]) -> str:
    """Year-to-date completion against the annual plan, one row per group: a bar for the percent, a red
    line at 序时进度 (month ÷ 12), and the amounts. Each row links to the list filtered to it. `words`: the page
    language's cc_* strings (web/i18n_progress.py)."""
    notes = [words["cc_note"], words["cc_time"].replace("{x}", str(time_percent)) if time_percent is not None else ""]
    notes = [n for n in notes if n]
    height = TOP + ROW * max(len(rows), 1) + 12 + NOTE_LINE * len(notes)
    x_bar = LABEL_W + GAP
    x_text = x_bar + RATE_W + GAP
    width = x_text + 260
    out = [(f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
            f'height="{height}" role="img" aria-label={quoteattr(title)} font-family="{FONT}" font-size="13">'),
           f'<text x="0" y="18" font-size="15" font-weight="700">{escape(title)}</text>',
           (f'<text x="{x_bar}" y="38" fill="{RATE_COLOUR}">{escape(words["cc_rate"])}</text>'
            f'<text x="{x_text}" y="38" fill="#52606d">{escape(words["cc_amounts"])}</text>')]
    for i, row in enumerate(rows):
        y = TOP + i * ROW
        pct = row.percent or 0.0
        w = RATE_W * min(pct, RATE_MAX) / RATE_MAX
        tip = words["cc_tip"].format(label=row.label, done=_amount(row.completed), plan=_amount(row.plan), pct=pct,
                                     n=row.projects)
        body = (f'<title>{escape(tip)}</title>'
                f'<rect x="0" y="{y}" width="{width}" height="{ROW}" fill="transparent"/>'
                f'<text x="{LABEL_W}" y="{y + 16}" text-anchor="end">{escape(_short(row.label))}</text>'
                f'<rect x="{x_bar}" y="{y + 4}" width="{w:.1f}" height="16" fill="{RATE_COLOUR}"/>'
                f'<text x="{x_bar + w + 4:.1f}" y="{y + 16}">{pct}</text>'
                f'<text x="{x_text}" y="{y + 16}" fill="#52606d">{_amount(row.completed)} / {_amount(row.plan)} · '
                f'{row.projects}</text>')
        link = href(row)
        attrs = f'class="bar" data-code={quoteattr(row.code)} data-percent="{pct}"'
        out.append(f'<a href={quoteattr(link)} {attrs}>{body}</a>' if link else f'<g {attrs}>{body}</g>')
    if time_percent is not None and rows:
        x = x_bar + RATE_W * min(time_percent, RATE_MAX) / RATE_MAX
        out.append(f'<line x1="{x:.1f}" y1="{TOP - 2}" x2="{x:.1f}" y2="{TOP + ROW * len(rows)}" '
                   f'stroke="{TIME_COLOUR}" stroke-dasharray="4 3" data-testid="time-line"/>')
    if not rows:
        out.append(f'<text x="{x_bar}" y="{TOP + 16}" fill="#52606d">{escape(words["cc_empty"])}</text>')
    for i, note in enumerate(notes):
        y = TOP + ROW * max(len(rows), 1) + 14 + NOTE_LINE * i
        out.append(f'<text x="0" y="{y}" font-size="12" fill="#52606d">{escape(note)}</text>')
    out.append("</svg>")
    return "".join(out)
