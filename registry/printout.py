"""What a meeting prints: the columns, the title from the filter, Beijing time, the data date and the
download file name — shared by the print view (web/printview.py) and the Excel export's 打印 sheet."""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.clock import beijing
from registry.models import DataVersion
from registry.progress.monthly import month_text
from registry.queries import ResolvedFilter
from registry.records import ProjectRow
from registry.vocabulary import status_word

TITLE = "太原市重点项目表"
UNFILTERED = "全部项目（未筛选）"  # what queries.describe says for no filter
Value = str | Decimal | None


def _years(row: ProjectRow) -> str | None:
    if row.start_year and row.end_year:
        return f"{row.start_year}—{row.end_year}" if row.end_year != row.start_year else str(row.start_year)
    return str(row.start_year or row.end_year) if (row.start_year or row.end_year) else None


def _status(row: ProjectRow) -> str:
    """As the detail page says it: 未注明 for unknown, the plan's own word beside a mapped status."""
    word = status_word(row.status)
    return f"{word}（{row.status_text}）" if row.status_text and row.status_text != word else word


@dataclass(frozen=True)
class MeetingColumn:
    key: str
    header: str
    width: int  # in characters (Excel column width); the print view's CSS uses the same proportions
    get: Callable[[ProjectRow], Value]
    money: bool = False


MEETING_COLUMNS: tuple[MeetingColumn, ...] = (
    MeetingColumn("code", "编号", 11, lambda r: r.code),
    MeetingColumn("name", "项目名称", 26, lambda r: r.name),
    MeetingColumn("capacity", "建设规模及内容", 40, lambda r: r.capacity_text),
    MeetingColumn("total_investment", "总投资（亿元）", 10, lambda r: r.total_investment, money=True),
    MeetingColumn("years", "建设年限", 10, _years),
    MeetingColumn("status", "状态", 8, _status),
    MeetingColumn("district", "区县", 8, lambda r: r.district),
    MeetingColumn("zone", "开发区", 14, lambda r: r.zone),
    MeetingColumn("builder", "建设单位", 16, lambda r: r.builder),
)


@dataclass(frozen=True)
class Summary:
    """The 合计 row: how many rows, the sum of the known amounts and how many have none."""

    count: int = 0
    investment_sum: Decimal = Decimal(0)
    without_amount: int = 0

    def add(self, row: ProjectRow) -> Summary:
        if row.total_investment is None:
            return Summary(self.count + 1, self.investment_sum, self.without_amount + 1)
        return Summary(self.count + 1, self.investment_sum + row.total_investment, self.without_amount)


def summarise(rows: Iterable[ProjectRow]) -> Summary:
    out = Summary()
    for row in rows:
        out = out.add(row)
    return out


def title_for(filter_words: str) -> str:
    return f"{TITLE}（{'全部项目' if filter_words == UNFILTERED else filter_words}）"


def data_date(session: Session) -> datetime | None:
    """When the data last changed (the newest data version), or None for an empty registry."""
    return session.scalar(select(DataVersion.created_at).order_by(DataVersion.id.desc()).limit(1))


_UNSAFE = re.compile(r'[\\/:*?"<>|\s]+')


def filter_slug(rf: ResolvedFilter) -> str:
    """The filter in a few words for a file name: 太忻一体化经济区, 小店区_在建, or 全部."""
    flt = rf.raw
    parts = [label for attr in ("strategies", "corridors", "districts", "zones", "chains")
             for label in rf.labels.get(attr, ())]
    parts += [status_word(s) for s in flt.statuses] + list(flt.kinds)
    if flt.min_investment is not None:
        parts.append(f"{flt.min_investment}亿元以上")
    if flt.max_investment is not None:
        parts.append(f"{flt.max_investment}亿元以下")
    if flt.q:
        parts.append(flt.q)
    if flt.needs_review:
        parts.append("待核实位置")
    if flt.progress_classes:  # 滞后_2025-06: the classes and the month they refer to
        parts += [*flt.progress_classes, month_text(rf.progress_month) or "无调度数据"]
    slug = _UNSAFE.sub("_", "_".join(parts)).strip("_.")
    return (slug[:60].rstrip("_") or "全部") if parts else "全部"


def export_filename(rf: ResolvedFilter, fmt: str, when: datetime | None = None) -> str:
    """重点项目_太忻一体化经济区_20261201.xlsx — the filter and the Beijing date, safe on every OS."""
    day = beijing(when or datetime.now(UTC))
    return f"重点项目_{filter_slug(rf)}_{day:%Y%m%d}.{fmt}"


__all__ = ["MEETING_COLUMNS", "MeetingColumn", "Summary", "data_date", "export_filename", "filter_slug",
           "summarise", "title_for"]
