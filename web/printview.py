"""The print view of any filtered list: every row (not a page), 序号, a 合计 row, the filter as its title."""
from __future__ import annotations

from datetime import UTC, datetime
from itertools import islice
from urllib.parse import urlencode

from flask import Blueprint, current_app, render_template, request, url_for

from registry.printout import MEETING_COLUMNS, beijing, data_date, stamp_text, summarise, title_for
from registry.queries import ResolvedFilter, describe, describe_en, iter_rows, resolve, totals
from web.i18n import current_lang
from web.request_filter import request_filter
from web.session import get_session

bp = Blueprint("printview", __name__)
PRINT_LIMIT = 5000  # about 250 landscape pages: beyond that a meeting needs a narrower filter, not paper


@bp.get("/projects/print")
def print_page() -> str:
    session = get_session()
    rf = resolve(session, request_filter())
    limit = int(current_app.config.get("KPR_PRINT_LIMIT", PRINT_LIMIT))
    rows = list(islice(iter_rows(session, rf, sort=request.args.get("sort")), limit))
    summary = summarise(rows)
    changed = data_date(session)
    qs = rf.raw.to_params()
    sums = totals(session, rf)
    return render_template(
        "print.html", rows=rows, columns=MEETING_COLUMNS, summary=summary, totals=sums,
        cut=sums.count > len(rows),
        title=_title(rf), printed=_stamp(datetime.now(UTC)),
        data_date=_stamp(changed) if changed else None, back=url_for("kpr.projects_page") + _qs(qs),
    )


def _title(rf: ResolvedFilter) -> str:
    """The Chinese title the Excel 打印 sheet shares, or its English twin."""
    if current_lang() != "en":
        return title_for(describe(rf))
    return f"Taiyuan key projects ({describe_en(rf)})"


def _stamp(moment: datetime) -> str:
    if current_lang() != "en":
        return stamp_text(moment)
    return f"{beijing(moment):%Y-%m-%d %H:%M} (Beijing time)"


def _qs(params: list[tuple[str, str]]) -> str:
    return "?" + urlencode(params) if params else ""
