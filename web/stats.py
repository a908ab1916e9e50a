"""The 统计 dashboard (`/stats`), its JSON twin and each chart as a downloadable SVG — same filters as the list."""
from __future__ import annotations

from urllib.parse import quote, urlencode

from flask import Blueprint, Response, jsonify, render_template, request, url_for

from registry.errors import NotFound
from registry.printout import export_filename
from registry.progress.dashboard import Completion, progress_board
from registry.queries import ResolvedFilter, describe, resolve
from registry.stats import Bar, Chart, dashboard
from web.charts import render_completion_svg, render_svg
from web.i18n import STRINGS, current_lang
from web.i18n_progress import month_span
from web.request_filter import request_filter
from web.session import get_session
from web.stats_words import SVG_WORDS, english

bp = Blueprint("stats", __name__)
MAX_BARS = 20  # chains run to dozens; the JSON twin keeps all of them


def _href(bar: Bar) -> str | None:
    return None if bar.params is None else url_for("kpr.projects_page") + "?" + urlencode(bar.params)


def _shown(chart: Chart) -> Chart:
    if len(chart.bars) <= MAX_BARS:
        return chart
    rest = len(chart.bars) - MAX_BARS
    note = f"只画出前 {MAX_BARS} 项，其余 {rest} 项见 stats.json。" + chart.note
    return Chart(chart.key, chart.title, chart.bars[:MAX_BARS], note)


def _resolved() -> ResolvedFilter:
    return resolve(get_session(), request_filter())


@bp.get("/stats")
def stats_page() -> str:
    rf = _resolved()
    board = dashboard(get_session(), rf)
    qs = urlencode(rf.raw.to_params())
    shown = [_shown(chart) for chart in board.charts]
    if current_lang() == "en":
        charts = [(chart, render_svg(english(chart), _href, words=SVG_WORDS)) for chart in shown]
    else:
        charts = [(chart, render_svg(chart, _href)) for chart in shown]
    progress = progress_board(get_session(), rf)
    words = STRINGS[current_lang()]
    year, month = progress.month or (None, None)
    span = month_span(year, month, current_lang())
    completion = [(key, render_completion_svg(words["cc_title"].replace("{g}", words[f"cc_{key}"]).replace("{x}", span),
                                              rows[:MAX_BARS], progress.time_percent, _list_href, words))
                  for key, rows in progress.completion.items()]
    now_qs = urlencode([p for p in rf.raw.to_params() if p[0] != "as_of"])
    return render_template("stats.html", board=board, charts=charts,
                           filter_words=describe(rf, current_lang()),
                           totals=board.totals, qs=qs, params=rf.raw.to_params(), as_of=rf.raw.as_of,
                           now_qs=now_qs, progress=progress,
                           completion=completion, class_href=lambda c: _class_href(rf, c))


def _list_href(row: Completion) -> str:
    return url_for("kpr.projects_page") + "?" + urlencode(row.params)


def _class_href(rf: ResolvedFilter, cls: str) -> str:
    kept = [(k, v) for k, v in rf.raw.to_params() if k != "progress_class"]
    return url_for("kpr.projects_page") + "?" + urlencode([*kept, ("progress_class", cls)])


@bp.get("/stats.json")
def stats_json() -> Response:
    rf = _resolved()
    board = dashboard(get_session(), rf)
    return jsonify(
        filter=describe(rf), count=board.totals.count, total_investment=float(board.totals.investment_sum),
        without_amount=board.totals.without_amount,
        charts={c.key: {"title": c.title, "note": c.note, "bars": [
            {**b.to_dict(), "list": _href(b)} for b in c.bars]} for c in board.charts},
        progress=progress_board(get_session(), rf).to_dict(),
    )


@bp.get("/stats/<key>.svg")
def chart_svg(key: str) -> Response:
    rf = _resolved()
    chart = next((c for c in dashboard(get_session(), rf).charts if c.key == key), None)
    if chart is None:
        raise NotFound(f"没有名为 {key} 的图表 (no chart {key!r})")
    # A saved file has no page around it: its links carry this server's address.
    shown, words = _shown(chart), None
    if current_lang() == "en":  # the file speaks the language of the page it was downloaded from
        shown, words = english(shown), SVG_WORDS
    body = render_svg(shown, lambda b: _absolute(_href(b)), standalone=True, words=words)
    name = export_filename(rf, "svg").replace("重点项目_", f"重点项目统计_{chart.title}_")
    return Response('<?xml version="1.0" encoding="UTF-8"?>\n' + body, mimetype="image/svg+xml",
                    headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"})


def _absolute(href: str | None) -> str | None:
    return None if href is None else request.host_url.rstrip("/") + href
