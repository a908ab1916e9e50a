"""The print view of any filtered list: every row (not a page), 序号, a 合计 row, the filter as its title; and
the same page as a PDF download (web/printpdf.py)."""
from __future__ import annotations

from datetime import UTC, datetime
from itertools import islice
from urllib.parse import urlencode

from flask import Blueprint, Response, current_app, render_template, request, url_for

from registry.clock import beijing, stamp_text
from registry.errors import PdfUnavailable
from registry.printout import MEETING_COLUMNS, data_date, export_filename, summarise, title_for
from registry.queries import ResolvedFilter, describe, iter_rows, resolve, totals
from web.i18n import current_lang
from web.request_filter import request_filter
from web.session import get_session

bp = Blueprint("printview", __name__)


PRINT_LIMIT = 5000  # about 250 landscape pages: beyond that a meeting needs a narrower filter, not paper
# WeasyPrint lays out about two pages (~50 rows) a second here: a larger PDF would hold a worker for minutes.
# Past this the PDF lists the first rows and says so, like the print view past PRINT_LIMIT.
PRINT_PDF_LIMIT = 1000


@bp.get("/projects/print")
def print_page() -> str:
    return _render(int(current_app.config.get("KPR_PRINT_LIMIT", PRINT_LIMIT)))


@bp.get("/projects/print.pdf")
def print_pdf() -> Response:
    """The print view rendered to PDF on the server (WeasyPrint): the same HTML, its @page rules give A4
    landscape, the repeated header row and the page numbers."""
    try:
        from web.printpdf import pdf_response
    except (ImportError, OSError) as exc:  # WeasyPrint or the system's Pango missing: say so, the print view works
        raise PdfUnavailable("PDF 生成组件未安装（WeasyPrint/Pango），请用打印视图的“打印”按钮另存为 PDF"
                             " (PDF output is not installed on this server; print the page instead)") from exc

    session = get_session()
    rf = resolve(session, request_filter())
    limit = int(current_app.config.get("KPR_PRINT_PDF_LIMIT", PRINT_PDF_LIMIT))
    return pdf_response(_render(limit), export_filename(rf, "pdf"))


def _render(limit: int) -> str:
    session = get_session()
    rf = resolve(session, request_filter())
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
        pdf_url=url_for("printview.print_pdf") + _qs(qs),
    )


def _title(rf: ResolvedFilter) -> str:
    """The Chinese title the Excel 打印 sheet shares, or its English twin."""
    if current_lang() != "en":
        return title_for(describe(rf))
    return f"Taiyuan key projects ({describe(rf, 'en')})"


def _stamp(moment: datetime) -> str:
    if current_lang() != "en":
        return stamp_text(moment)
    return f"{beijing(moment):%Y-%m-%d %H:%M} (Beijing time)"


def _qs(params: list[tuple[str, str]]) -> str:
    return "?" + urlencode(params) if params else ""
