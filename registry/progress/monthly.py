"""Each project's progress class for one month, and which month a view means when it names none (the newest
month with figures). Classes are computed with the one rule (classify.Rule), never stored."""
from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.badvalue import BadFilterValue
from registry.models import ProjectProgress
from registry.progress.classify import UNREPORTED, Rule

YearMonth = tuple[int, int]


def parse_month(raw: str, param: str = "progress_month") -> YearMonth:
    """'2025-06' (or '2025-6') → (2025, 6); anything else is a bad filter value naming the expected shape."""
    found = re.fullmatch(r"\s*(\d{4})-(\d{1,2})\s*", raw)
    if not found or not 2000 <= int(found.group(1)) <= 2100 or not 1 <= int(found.group(2)) <= 12:
        raise BadFilterValue(f"进度月份 {param}={raw!r} 应为 YYYY-MM，如 2025-06 ({param}: expected YYYY-MM)",
                             param, raw)
    return int(found.group(1)), int(found.group(2))


def month_text(ym: YearMonth | None) -> str:
    return "" if ym is None else f"{ym[0]}-{ym[1]:02d}"


def newest_month(session: Session) -> YearMonth | None:
    row = session.execute(select(ProjectProgress.year, ProjectProgress.month)
                          .order_by(ProjectProgress.year.desc(), ProjectProgress.month.desc()).limit(1)).first()
    return None if row is None else (int(row[0]), int(row[1]))


def months_with_figures(session: Session) -> list[YearMonth]:
    """Every month some project has figures for, newest first (the choices of a month picker)."""
    rows = session.execute(select(ProjectProgress.year, ProjectProgress.month).distinct()
                           .order_by(ProjectProgress.year.desc(), ProjectProgress.month.desc()))
    return [(int(y), int(m)) for y, m in rows]


def classes(session: Session, ym: YearMonth | None, rule: Rule | None = None) -> dict[int, str]:
    """Project id → class for the month, for projects whose class is known (not 未填报): a project missing
    here is 未填报 that month."""
    if ym is None:
        return {}
    rule = rule or Rule.from_settings()
    rows = session.execute(select(ProjectProgress.project_id, ProjectProgress.plan_investment,
                                  ProjectProgress.completed_investment)
                           .where(ProjectProgress.year == ym[0], ProjectProgress.month == ym[1]))
    out = {int(pid): rule.classify(plan, done, ym[1]) for pid, plan, done in rows}
    return {pid: cls for pid, cls in out.items() if cls != UNREPORTED}

