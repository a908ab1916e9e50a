"""What an export says about itself (口径说明): the filter in words, when, from which data, and totals."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.clock import beijing
from registry.maps.anchors import Anchors, load_anchors
from registry.models import DataVersion
from registry.progress.classify import Rule
from registry.queries import ResolvedFilter, Totals, describe, totals
from registry.vocabulary import Vocabulary


@dataclass(frozen=True)
class ExportContext:
    filter_words: str = "全部项目（未筛选）"
    exported_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    data_version: str = "n/a"
    totals: Totals | None = None
    vocab: Vocabulary = field(default_factory=Vocabulary)  # names cells show (empty: codes)
    row_limit: int | None = None  # at most this many rows are written; the notes say so when more matched
    anchors: Anchors | None = None  # district/zone representative points for projects without a site
    progress_month: tuple[int, int] | None = None  # the 调度 sheet's month: the filter's (newest with figures)
    progress_rule: str = field(default_factory=lambda: Rule().describe())

    def exported_at_beijing(self) -> str:
        """ISO 8601 with +08:00: users read Beijing time, machines still get an exact instant."""
        return beijing(self.exported_at).isoformat(timespec="seconds")

    def truncated(self) -> bool:
        return self.row_limit is not None and self.totals is not None and self.totals.count > self.row_limit

    def limit_note(self) -> str | None:
        """Said in the export itself (口径说明 sheet, GeoJSON `kpr` member) so a cut is never silent."""
        if not self.truncated() or self.totals is None:
            return None
        return (f"超过导出上限：筛选出 {self.totals.count} 个项目，本文件只含按排序的前 {self.row_limit} 个；"
                f"请缩小筛选范围分批导出 (export limited to {self.row_limit} of {self.totals.count} projects)")


def data_version(session: Session) -> str:
    latest = session.execute(
        select(DataVersion.id, DataVersion.created_at, DataVersion.kind).order_by(DataVersion.id.desc()).limit(1)
    ).first()
    if latest is None:
        return "n/a"
    ident, created, kind = latest
    return f"#{ident} {kind} {beijing(created):%Y-%m-%d %H:%M:%S}（北京时间）"


GEO_FORMATS = ("geojson", "gpkg")


def build_context(session: Session, rf: ResolvedFilter, row_limit: int | None = None,
                  fmt: str | None = None) -> ExportContext:
    """The context for one filtered export: the same filter words and totals as the web page. District and
    zone anchors are computed only for the GIS formats (or when the format is not yet known)."""
    anchors = load_anchors(session) if fmt is None or fmt in GEO_FORMATS else None
    return ExportContext(filter_words=describe(rf), data_version=data_version(session),
                         totals=totals(session, rf), vocab=rf.vocab, row_limit=row_limit,
                         anchors=anchors, progress_month=rf.progress_month, progress_rule=rf.progress_rule.describe())
