"""Progress entered by a person (the 进度 page of the edit form): one year's 年度计划投资, each month's 累计完成投资,
形象进度 and 存在问题, and the planned / actual 开工 and 竣工 dates. The same rules as the 调度 import (strict amounts,
not above the total investment, year-to-date never falling, closed months final) and the same optimistic
locking as the edit form: the save bumps the project's version, so a concurrent save shows as EditConflict."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from registry import history
from registry.editing import Actor, flush_or_conflict, get_project
from registry.errors import EditConflict, InvalidForm, Problem
from registry.models import ProgressClosedMonth, Project, ProjectMilestones, ProjectProgress, utcnow
from registry.money import parse_amount_text, parse_yi
from registry.progress.recorded import MILESTONES

MONTHS = range(1, 13)
UNITS = ("亿元", "万元")


@dataclass(frozen=True)
class MonthEntry:
    completed: Decimal | None
    image: str | None
    issues: str | None

    @property
    def empty(self) -> bool:
        return self.completed is None and not self.image and not self.issues


def _amount(form: Mapping[str, Any], key: str, unit: str, problems: list[Problem]) -> Decimal | None:
    text = str(form.get(key) or "").strip()
    if not text:
        return None
    try:
        return parse_yi(format(parse_amount_text(text, unit).yi.normalize(), "f"))
    except ValueError as exc:
        problems.append(Problem(None, key, text, f"无法确定金额：{exc}", f"不小于 0 的金额，如 1.5（单位：{unit}）"))
        return None


def _date(form: Mapping[str, Any], key: str, problems: list[Problem]) -> date | None:
    text = str(form.get(key) or "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        problems.append(Problem(None, key, text, "不是日期", "日期，如 2025-03-15"))
        return None


def _text(form: Mapping[str, Any], key: str) -> str | None:
    return str(form.get(key) or "").strip()[:2000] or None


def read_form(form: Mapping[str, Any]) -> tuple[Decimal | None, dict[int, MonthEntry], dict[str, date | None],
                                                list[Problem]]:
    problems: list[Problem] = []
    unit = str(form.get("unit") or "亿元")
    if unit not in UNITS:
        problems.append(Problem(None, "unit", unit, "未知单位", "亿元 或 万元"))
        unit = "亿元"
    plan = _amount(form, "plan_investment", unit, problems)
    months = {m: MonthEntry(_amount(form, f"completed_{m}", unit, problems), _text(form, f"image_{m}"),
                            _text(form, f"issues_{m}")) for m in MONTHS}
    dates = {k: _date(form, k, problems) for k in MILESTONES}
    for start, end in (("planned_start", "planned_end"), ("actual_start", "actual_end")):
        begun, ended = dates[start], dates[end]
        if begun is not None and ended is not None and ended < begun:
            problems.append(Problem(None, end, ended.isoformat(), "竣工早于开工", f"不早于 {begun.isoformat()}"))
    return plan, months, dates, problems


def _check(project: Project, year: int, plan: Decimal | None, months: dict[int, MonthEntry],
           stored: dict[int, ProjectProgress], closed: set[int], problems: list[Problem]) -> None:
    total = project.total_investment
    highest: tuple[int, Decimal] | None = None
    for m in MONTHS:
        entry = months[m]
        if entry.completed is not None:
            if total is not None and entry.completed > total:
                problems.append(Problem(None, f"completed_{m}", f"{entry.completed} 亿元",
                                        "累计完成投资超过项目总投资",
                                        f"不超过总投资 {total} 亿元"))
            if highest is not None and entry.completed < highest[1]:
                problems.append(Problem(None, f"completed_{m}", f"{entry.completed} 亿元",
                                        f"月份顺序不符：1-{highest[0]}月已累计 {highest[1]} 亿元",
                                        f"不少于 {highest[1]} 亿元"))
            else:
                highest = (m, entry.completed)
        if m in closed and _values(plan, entry) != _stored_values(stored.get(m)):
            problems.append(Problem(None, f"completed_{m}", f"{year}-{m:02d}",
                                    "该月已关账，不能再修改", "未关账的月份保持原值"))


def _values(plan: Decimal | None, entry: MonthEntry) -> tuple[Any, ...] | None:
    return None if entry.empty else (plan, entry.completed, entry.image, entry.issues)


def _stored_values(row: ProjectProgress | None) -> tuple[Any, ...] | None:
    if row is None:
        return None
    return (row.plan_investment, row.completed_investment, row.image_progress, row.issues)


def stored_months(session: Session, project: Project, year: int) -> dict[int, ProjectProgress]:
    rows = session.scalars(select(ProjectProgress).where(ProjectProgress.project_id == project.id,
                                                         ProjectProgress.year == year))
    return {r.month: r for r in rows}


def closed_months(session: Session, year: int) -> set[int]:
    return set(session.scalars(select(ProgressClosedMonth.month).where(ProgressClosedMonth.year == year)))


def save_progress(session: Session, code: str, year: int, form: Mapping[str, Any], expected_version: int,
                  actor: Actor) -> Project:
    """Save one year's figures and the dates over version `expected_version`, all or nothing. A month left
    empty is removed; the annual plan is stored with each month that has figures (as the 调度 sheets do)."""
    project = get_project(session, code, include_archived=actor.user.can("admin"))
    if project.version != expected_version:
        raise EditConflict(project)
    plan, months, dates, problems = read_form(form)
    if not 2000 <= year <= 2100:
        problems.append(Problem(None, "year", year, "年份不合理", "2000–2100"))
    stored = stored_months(session, project, year)
    _check(project, year, plan, months, stored, closed_months(session, year), problems)
    if problems:
        raise InvalidForm(problems)
    history.begin(session, "progress", user=actor.user, comment=actor.comment)
    changed = False
    for m in MONTHS:
        values, row = _values(plan, months[m]), stored.get(m)
        if values == _stored_values(row):
            continue
        changed = True
        if values is None:
            session.delete(row)
            continue
        if row is None:
            row = ProjectProgress(project_id=project.id, year=year, month=m, source_file=None)
            session.add(row)
        row.plan_investment, row.completed_investment, row.image_progress, row.issues = values
    stones = session.get(ProjectMilestones, project.id)
    if stones is None and any(dates.values()):
        stones = ProjectMilestones(project_id=project.id)
        session.add(stones)
    if stones is not None:
        for key, value in dates.items():
            if getattr(stones, key) != value:
                setattr(stones, key, value)
                changed = True
    if changed:
        project.updated_at = utcnow()  # an UPDATE of the project: the version check runs here too
    flush_or_conflict(session, project)
    return project
