"""Each project's progress class for one month, and which month a view means when it names none (the newest
month with figures). Classes are computed with the one rule (classify.Rule), never stored."""
from __future__ import annotations

import re
from collections.abc import Callable, Collection, Hashable
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, and_, false, not_, or_, select, true, type_coerce
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from registry import stamp
from registry.errors import BadFilterValue
from registry.models import Project, ProjectProgress
from registry.progress.classify import AHEAD, BEHIND, NORMAL, UNREPORTED, Rule
from registry.stampcache import StampedCache

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


# Every list, map and dashboard request resolves its filter: the month's classes are read once per data stamp.
_CACHE: StampedCache[Any] = StampedCache(size=8)


def _cached(session: Session, key: Hashable, build: Callable[[], Any]) -> Any:
    if stamp.uncommitted(session):
        return build()
    try:
        current = stamp.read(session)
    except stamp.StampMissing:  # a database not made by `kpr db upgrade`: nothing to key a cache on
        return build()
    return _CACHE.get(key, current, build)


def newest_month(session: Session) -> YearMonth | None:
    found: YearMonth | None = _cached(session, "newest", lambda: _newest(session))
    return found


def _newest(session: Session) -> YearMonth | None:
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
    chosen = rule or Rule.of_session(session)
    found: dict[int, str] = _cached(session, ("classes", ym, chosen), lambda: _classes(session, ym, chosen))
    return found


def _classes(session: Session, ym: YearMonth, rule: Rule) -> dict[int, str]:
    rows = session.execute(select(ProjectProgress.project_id, ProjectProgress.plan_investment,
                                  ProjectProgress.completed_investment)
                           .where(ProjectProgress.year == ym[0], ProjectProgress.month == ym[1]))
    out = {int(pid): rule.classify(plan, done, ym[1]) for pid, plan, done in rows}
    return {pid: cls for pid, cls in out.items() if cls != UNREPORTED}



def _fraction(threshold: Decimal) -> tuple[int, int]:
    """105 → (105, 1); 102.5 → (1025, 10): the threshold as integers, so SQL compares exactly."""
    exponent = int(threshold.normalize().as_tuple().exponent)
    scale = 10 ** max(0, -exponent)
    return int(threshold * scale), scale


def class_clause(rule: Rule, ym: YearMonth | None, wanted: Collection[str]) -> ColumnElement[bool]:
    """Projects whose class that month is one of `wanted`, in SQL: Rule.classify's comparison on the stored
    integer 万元 (completed × 12 × 100 against threshold × plan × month), so no id list is sent to the
    database however many projects reported."""
    if ym is None:  # no figures at all: every project is 未填报
        return true() if UNREPORTED in wanted else false()
    year, month = ym
    t = ProjectProgress.__table__
    plan = type_coerce(t.c.plan_investment, BigInteger)
    done = type_coerce(t.c.completed_investment, BigInteger)
    reported = and_(t.c.year == year, t.c.month == month, plan > 0, done.is_not(None))
    (a_n, a_s), (b_n, b_s) = _fraction(rule.ahead), _fraction(rule.behind)
    ahead = done * (1200 * a_s) > plan * (month * a_n)
    behind = done * (1200 * b_s) < plan * (month * b_n)
    by_class = {AHEAD: ahead, BEHIND: behind, NORMAL: and_(not_(ahead), not_(behind))}
    parts = [Project.id.in_(select(t.c.project_id).where(reported, by_class[c])) for c in wanted if c in by_class]
    if UNREPORTED in wanted:
        parts.append(Project.id.not_in(select(t.c.project_id).where(reported)))
    return or_(false(), *parts)
