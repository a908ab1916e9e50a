"""One project's year as SVG drawn on the server (offline, no script): the annual plan spread evenly over the
months (the line the class rule compares with) against the year-to-date completion each month reported,
each point in its class's colour. The detail page shows it above a table of the same figures."""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr

from registry.maps.palette import PROGRESS_COLOURS
from registry.records import ProgressRow

W, H, LEFT, RIGHT, TOP, BOTTOM = 640, 260, 64, 16, 34, 40
PLAN_COLOUR, DONE_COLOUR = "#9e9e9e", "#2f6f9f"
FONT = "Noto Sans CJK SC, Microsoft YaHei, PingFang SC, sans-serif"


def _yi(value: Decimal) -> str:
    text = f"{value:,.4f}".rstrip("0").rstrip(".")
    return text or "0"


def _ticks(top: Decimal) -> list[Decimal]:
    """Four or five round steps from 0 to at least `top`."""
    if top <= 0:
        return [Decimal(0), Decimal(1)]
    raw = top / 4
    magnitude = Decimal(10) ** raw.adjusted()
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    return [step * i for i in range(int(top / step) + 2)]


def year_rows(rows: Sequence[ProgressRow], year: int) -> list[ProgressRow]:
    return [r for r in rows if r.year == year]


def render_progress_svg(rows: Sequence[ProgressRow], year: int, words: Mapping[str, str],
                        class_label: Callable[[str], str] = str) -> str:
    """`rows`: one year's months (any order). The plan line uses the newest month's annual plan. `words`: the
    page language's pc_* strings (web/i18n_progress.py); `class_label` words a progress class."""
    months = sorted(rows, key=lambda r: r.month)
    plan = next((r.plan_investment for r in reversed(months) if r.plan_investment is not None), None)
    values = [r.completed_investment for r in months if r.completed_investment is not None]
    top = max([plan or Decimal(0), *values, Decimal(0)])
    ticks = _ticks(top)
    y_max = ticks[-1] or Decimal(1)
    plot_w, plot_h = W - LEFT - RIGHT, H - TOP - BOTTOM

    def x(month: float) -> float:
        return LEFT + plot_w * month / 12

    def y(value: Decimal) -> float:
        return TOP + plot_h * (1 - float(value / y_max))

    title = words["pc_title"].replace("{y}", str(year))
    out = [(f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" width="{W}" height="{H}" role="img" '
           f'aria-label={quoteattr(title)} font-family="{FONT}" font-size="12" data-testid="progress-chart">'),
           f'<text x="0" y="16" font-size="14" font-weight="700">{escape(title)}</text>']
    for tick in ticks:
        out.append(f'<line x1="{LEFT}" y1="{y(tick):.1f}" x2="{W - RIGHT}" y2="{y(tick):.1f}" stroke="#e4e7eb"/>'
                   f'<text x="{LEFT - 6}" y="{y(tick) + 4:.1f}" text-anchor="end" fill="#52606d">{_yi(tick)}</text>')
    for m in range(13):
        out.append(f'<text x="{x(m):.1f}" y="{H - BOTTOM + 16}" text-anchor="middle" fill="#52606d">'
                   f'{m if m else ""}</text>')
    out.append(f'<text x="{W - RIGHT}" y="{H - 6}" text-anchor="end" fill="#52606d">{escape(words["pc_month_axis"])}</text>')
    if plan is not None:
        out.append(f'<line x1="{x(0):.1f}" y1="{y(Decimal(0)):.1f}" x2="{x(12):.1f}" y2="{y(plan):.1f}" '
                   f'stroke="{PLAN_COLOUR}" stroke-width="2" stroke-dasharray="6 4" data-testid="plan-line">'
                   f'<title>{escape(words["pc_plan_tip"].replace("{x}", _yi(plan)))}</title></line>')
    points = [(x(r.month), y(r.completed_investment), r) for r in months if r.completed_investment is not None]
    if len(points) > 1:
        path = " ".join(f"{px:.1f},{py:.1f}" for px, py, _ in points)
        out.append(f'<polyline points="{path}" fill="none" stroke="{DONE_COLOUR}" stroke-width="2"/>')
    for px, py, r in points:
        colour = PROGRESS_COLOURS.get(r.progress_class, DONE_COLOUR)
        done = r.completed_investment or Decimal(0)
        out.append(f'<circle cx="{px:.1f}" cy="{py:.1f}" r="5" fill="{colour}" data-month="{r.month}" '
                   f'data-class={quoteattr(r.progress_class)}><title>'
                   f'{escape(words["pc_point_tip"].replace("{m}", str(r.month)).replace("{x}", _yi(done)))} · '
                   f'{escape(class_label(r.progress_class))}</title></circle>')
    legend_y = H - 6
    out.append(f'<line x1="{LEFT}" y1="{legend_y - 4}" x2="{LEFT + 24}" y2="{legend_y - 4}" stroke="{PLAN_COLOUR}" '
               f'stroke-width="2" stroke-dasharray="6 4"/><text x="{LEFT + 30}" y="{legend_y}">{escape(words["pc_plan_key"])}</text>'
               f'<circle cx="{LEFT + 210}" cy="{legend_y - 4}" r="5" fill="{DONE_COLOUR}"/>'
               f'<text x="{LEFT + 220}" y="{legend_y}">{escape(words["pc_done_key"])}</text>')
    out.append("</svg>")
    return "".join(out)
