"""The dashboard's progress figures for one filter (issue 17): 开工率 and 竣工率, projects per progress class, and
year-to-date completion against the annual plan by district, industry chain and strategy, for the month the
filter's classes refer to. Each figure says its rule in words; amounts are summed exactly (Decimal 亿元)."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, select, true
from sqlalchemy.orm import Session

from registry.models import (
    Location,
    LocationDistrict,
    Project,
    ProjectChain,
    ProjectMilestones,
    ProjectProgress,
    ProjectStrategy,
)
from registry.progress.classify import CLASSES
from registry.queries import ResolvedFilter, conditions, progress_month_words

STARTED = ("在建", "竣工", "投产")
FINISHED = ("竣工", "投产")
START_RULE = "开工率 = 已开工项目 ÷ 项目数；已开工指状态为在建、竣工或投产，或已填实际开工日期（状态未注明且无日期的不计为开工）"
END_RULE = "竣工率 = 已竣工项目 ÷ 项目数；已竣工指状态为竣工或投产，或已填实际竣工日期"
COMPLETION_RULE = ("完成率 = 1–M月累计完成投资之和 ÷ 年度计划投资之和（只计当月报了两项数字的项目）；"
                   "序时进度 = M ÷ 12")
GROUPS = {"districts": ("区县", "district"), "chains": ("产业链", "chain"), "strategies": ("区域战略", "strategy")}


@dataclass(frozen=True)
class Rate:
    done: int
    of: int

    @property
    def percent(self) -> float | None:
        return None if not self.of else round(100 * self.done / self.of, 1)


@dataclass(frozen=True)
class Completion:
    """One group's year-to-date completion against its annual plan."""

    code: str
    label: str
    projects: int  # with both figures that month
    plan: Decimal
    completed: Decimal
    params: tuple[tuple[str, str], ...]

    @property
    def percent(self) -> float | None:
        return None if not self.plan else float(round(self.completed / self.plan * 100, 1))

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "label": self.label, "projects": self.projects, "plan_investment": float(self.plan),
                "completed_investment": float(self.completed), "completion_percent": self.percent}


@dataclass(frozen=True)
class ProgressBoard:
    month: tuple[int, int] | None
    month_words: str
    rule: str
    started: Rate
    finished: Rate
    classes: tuple[tuple[str, int], ...]  # every class, in the fixed order, zeros kept
    overall: Completion | None
    completion: dict[str, tuple[Completion, ...]]  # districts / chains / strategies

    @property
    def time_percent(self) -> float | None:
        """序时进度: the share of the year elapsed by the month's end."""
        return None if self.month is None else round(100 * self.month[1] / 12, 1)

    def to_dict(self) -> dict[str, Any]:
        return {
            "month": None if self.month is None else f"{self.month[0]}-{self.month[1]:02d}",
            "rule": self.rule, "time_percent": self.time_percent,
            "start_rate": {"started": self.started.done, "projects": self.started.of,
                           "percent": self.started.percent, "rule": START_RULE},
            "completion_rate": {"completed": self.finished.done, "projects": self.finished.of,
                                "percent": self.finished.percent, "rule": END_RULE},
            "classes": dict(self.classes),
            "completion": {"rule": COMPLETION_RULE,
                           "overall": None if self.overall is None else self.overall.to_dict(),
                           **{k: [c.to_dict() for c in v] for k, v in self.completion.items()}},
        }


def _matching(rf: ResolvedFilter) -> Any:
    return select(Project.id).where(and_(true(), *conditions(rf)))


def _rates(session: Session, rf: ResolvedFilter) -> tuple[Rate, Rate]:
    rows = session.execute(select(Project.status, ProjectMilestones.actual_start, ProjectMilestones.actual_end)
                           .outerjoin(ProjectMilestones, ProjectMilestones.project_id == Project.id)
                           .where(and_(true(), *conditions(rf)))).all()
    started = sum(1 for status, start, end in rows if status in STARTED or start is not None or end is not None)
    finished = sum(1 for status, _, end in rows if status in FINISHED or end is not None)
    return Rate(started, len(rows)), Rate(finished, len(rows))


def _link_params(rf: ResolvedFilter, param: str, code: str) -> tuple[tuple[str, str], ...]:
    kept = [(k, v) for k, v in rf.raw.to_params() if k != param]
    return (*kept, (param, code))


def _completion(session: Session, rf: ResolvedFilter, key: str) -> tuple[Completion, ...]:
    assert rf.progress_month is not None
    links: dict[str, Any] = {
        "districts": select(LocationDistrict.adcode, Location.project_id)
        .join(Location, Location.id == LocationDistrict.location_id),
        "chains": select(ProjectChain.chain_code, ProjectChain.project_id),
        "strategies": select(ProjectStrategy.strategy_code, ProjectStrategy.project_id)
        .where(ProjectStrategy.basis == "plan"),
    }
    pairs = links[key].distinct().subquery()
    year, month = rf.progress_month
    stmt = (select(pairs.c[0], ProjectProgress.plan_investment, ProjectProgress.completed_investment)
            .join(ProjectProgress, ProjectProgress.project_id == pairs.c[1])
            .where(ProjectProgress.year == year, ProjectProgress.month == month,
                   ProjectProgress.plan_investment.is_not(None), ProjectProgress.completed_investment.is_not(None),
                   pairs.c[1].in_(_matching(rf))))
    sums: dict[str, list[Any]] = defaultdict(lambda: [0, Decimal(0), Decimal(0)])
    for code, plan, done in session.execute(stmt):
        entry = sums[str(code)]
        entry[0] += 1
        entry[1] += plan
        entry[2] += done
    labels = rf.vocab.names(key)
    param = GROUPS[key][1]
    out = [Completion(code, labels.get(code, code), n, plan, done, _link_params(rf, param, code))
           for code, (n, plan, done) in sums.items()]
    return tuple(sorted(out, key=lambda c: (-c.plan, c.code)))


def _overall(session: Session, rf: ResolvedFilter) -> Completion:
    assert rf.progress_month is not None
    year, month = rf.progress_month
    rows = session.execute(select(ProjectProgress.plan_investment, ProjectProgress.completed_investment)
                           .where(ProjectProgress.year == year, ProjectProgress.month == month,
                                  ProjectProgress.plan_investment.is_not(None),
                                  ProjectProgress.completed_investment.is_not(None),
                                  ProjectProgress.project_id.in_(_matching(rf)))).all()
    plan = sum((p or Decimal(0) for p, _ in rows), Decimal(0))  # both non-null (WHERE above)
    done = sum((d or Decimal(0) for _, d in rows), Decimal(0))
    return Completion("all", "全部", len(rows), plan, done, tuple(rf.raw.to_params()))


def progress_board(session: Session, rf: ResolvedFilter) -> ProgressBoard:
    started, finished = _rates(session, rf)
    ids = list(session.scalars(select(Project.id).where(
        and_(true(), *conditions(rf, skip="progress_classes")))))
    counts = dict.fromkeys(CLASSES, 0)
    for pid in ids:
        counts[rf.progress_class_of(pid)] += 1
    has_month = rf.progress_month is not None
    return ProgressBoard(
        month=rf.progress_month, month_words=progress_month_words(rf), rule=rf.progress_rule.describe(),
        started=started, finished=finished, classes=tuple(counts.items()),
        overall=_overall(session, rf) if has_month else None,
        completion={key: _completion(session, rf, key) for key in GROUPS} if has_month else {},
    )

