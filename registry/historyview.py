"""The change history as people read it: newest first, one row per field, with who, when and why."""
from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.fields import FIELDS
from registry.models import Change, ChangeSet
from registry.progress import recorded

BEIJING = ZoneInfo("Asia/Shanghai")
KIND_LABELS = {"create": "新建", "edit": "编辑", "place": "人工核实位置", "archive": "归档", "restore": "恢复",
               "import": "导入", "seed": "种子数据", "revert": "撤销", "system": "系统",
               "progress": "填报进度", "progress-import": "导入调度表"}
# How a location was found, as people read it (the stored value is a stable code).
METHOD_LABELS = {"manual": "人工核实", "given_coordinates": "给定坐标", "stated_in_text": "文本所述",
                 "zone_name": "开发区名称", "place_name": "地名", "gazetteer": "地名库",
                 "village": "村名（乡镇）", "none": "无"}
FIELD_LABELS = {
    "_created": "新建项目", "name": "名称", "aliases": "别名", "kind": "类别", "status": "状态",
    "status_text": "状态原文", "construction_type": "建设性质", "total_investment": "总投资（亿元）",
    "investment_text": "投资原文", "capacity_text": "规模", "start_year": "开工年份", "end_year": "竣工年份",
    "builder": "建设单位", "partners": "合作方", "description": "说明", "place_text": "地点原文",
    "stated_district_code": "所述区县", "stated_zone_code": "所述开发区", "outside_taiyuan": "太原市外",
    "box": "专栏", "group_name": "分组", "archived_at": "归档时间", "chains": "产业链", "strategies": "区域战略",
    "placement": "位置", "sources": "来源",
}


# Columns the list above does not name are shown by the field table's header (registry/fields.py).
_TABLE_LABELS = {f.column: f.zh for f in FIELDS if f.column}


def field_label(field: str) -> str:
    return FIELD_LABELS.get(field) or recorded.label(field) or _TABLE_LABELS.get(field) or field


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
        at = self.at if self.at.tzinfo else self.at.replace(tzinfo=ZoneInfo("UTC"))
        return at.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M")

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
