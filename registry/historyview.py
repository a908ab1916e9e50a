"""The change history as people read it: newest first, one row per field, with who, when and why."""
from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from registry import fields
from registry.clock import beijing
from registry.models import Change, ChangeSet
from registry.progress import recorded

KIND_LABELS = {"create": "新建", "edit": "编辑", "place": "人工核实位置", "archive": "归档", "restore": "恢复",
               "import": "导入", "seed": "种子数据", "revert": "撤销", "system": "系统",
               "progress": "填报进度", "progress-import": "导入调度表"}
# How a location was found, as people read it (the stored value is a stable code).
METHOD_LABELS = {"manual": "人工核实", "given_coordinates": "给定坐标", "stated_in_text": "文本所述",
                 "zone_name": "开发区名称", "place_name": "地名", "gazetteer": "地名库",
                 "village": "村名（乡镇）", "none": "无"}
# What 修改记录 records besides the field table's columns (registry/fields.py names those, in both languages).
RECORD_LABELS = {"_created": ("新建项目", "New project"), "archived_at": ("归档时间", "Archived at"),
                 "placement": ("位置", "Location")}


def field_label(field: str, lang: str = "zh") -> str:
    """A recorded field as pages name it: the field table's label, a progress month or milestone, or the name."""
    if field in RECORD_LABELS:
        return RECORD_LABELS[field][1 if lang == "en" else 0]
    return (None if lang == "en" else recorded.label(field)) or fields.label(field, lang) or field


def month_text(value: dict[str, Any]) -> str:
    """A recorded month's figures as 修改记录 shows them (亿元; empty figures left out)."""
    units = {"plan_investment": " 亿元", "completed_investment": " 亿元"}
    return "，".join(f"{recorded.MONTH_LABELS[k]} {v}{units.get(k, '')}" for k, v in value.items()
                    if k in recorded.MONTH_LABELS and v not in (None, "")) or "（空）"


@dataclass(frozen=True)
class HistoryRow:
    change_id: int
    change_set: int
    kind: str
    kind_label: str
    at: datetime
    user: str | None
    field: str
    field_label: str
    old: Any
    new: Any
    comment: str | None
    file_name: str | None
    reverted_by: int | None

    @property
    def at_beijing(self) -> str:
        return f"{beijing(self.at):%Y-%m-%d %H:%M}"

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["at"] = self.at.isoformat()
        return data


def history_rows(session: Session, project_id: int, limit: int = 500,
                 before: datetime | None = None) -> list[HistoryRow]:
    """Newest first; `before` (an as-of page's cutoff) leaves out what was recorded later."""
    stmt = (select(Change, ChangeSet).join(ChangeSet, ChangeSet.id == Change.change_set_id)
            .where(Change.project_id == project_id).order_by(Change.id.desc()).limit(limit))
    if before is not None:
        stmt = stmt.where(ChangeSet.at < before)
    return [HistoryRow(c.id, s.id, s.kind, KIND_LABELS.get(s.kind, s.kind), s.at, s.username, c.field,
                       field_label(c.field), c.old, c.new, s.comment, s.file_name, c.reverted_by_id)
            for c, s in session.execute(stmt)]


@dataclass(frozen=True)
class FieldChange:
    code: str
    name: str
    field: str
    field_label: str
    old: Any
    new: Any


def change_rows(session: Session, change_set_id: int) -> list[FieldChange]:
    """Every field one change set changed, project by project (the import preview's before/after)."""
    from registry.models import Project

    stmt = (select(Project.code, Project.name, Change.field, Change.old, Change.new)
            .join(Project, Project.id == Change.project_id).where(Change.change_set_id == change_set_id)
            .order_by(Project.code, Change.id))
    return [FieldChange(code, name, field, field_label(field), old, new)
            for code, name, field, old, new in session.execute(stmt)]
