"""超前 / 正常 / 滞后 / 未填报 for one project and month.

Rule (Nanning 市领导联系项目 system, see ../shared/docs/progress_formats.md §3): year-to-date completed
investment ÷ year-to-date plan, where the plan is the annual plan spread evenly over the months
(plan × month ÷ 12). Above `ahead` % is 超前, below `behind` % is 滞后, from `behind` to `ahead` inclusive is
正常. No annual plan (or a zero one) or no completed figure is 未填报. Compared exactly, in integers."""
from __future__ import annotations

import os
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from registry.config import Settings

AHEAD, NORMAL, BEHIND, UNREPORTED = "超前", "正常", "滞后", "未填报"
CLASSES = (AHEAD, NORMAL, BEHIND, UNREPORTED)


@dataclass(frozen=True)
class Rule:
    ahead: Decimal = Decimal(105)
    behind: Decimal = Decimal(95)

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> Rule:
        if settings is None:
            return _rule_from_env(os.environ.get("KPR_PROGRESS_AHEAD"), os.environ.get("KPR_PROGRESS_BEHIND"))
        return cls(ahead=settings.progress_ahead, behind=settings.progress_behind)

    def describe(self) -> str:
        """The rule in words, for every page and sheet that shows a class."""
        return (f"1–M月累计完成投资 ÷ (年度计划投资 × M ÷ 12)：高于 {self.ahead}% 为超前，"
                f"{self.behind}%–{self.ahead}% 为正常，低于 {self.behind}% 为滞后；无年度计划或未报完成额为未填报")

    def describe_en(self) -> str:
        return (f"completed Jan–M ÷ (annual plan × M ÷ 12): above {self.ahead}% ahead, {self.behind}%–{self.ahead}% "
                f"on track, below {self.behind}% behind; no annual plan or no completed figure: not reported")

    def classify(self, plan: Decimal | None, completed: Decimal | None, month: int) -> str:
        if plan is None or completed is None or plan <= 0:
            return UNREPORTED
        # completed ÷ (plan × month ÷ 12) × 100 compared with a threshold, without dividing.
        done, due = completed * 12 * 100, plan * month
        if done > self.ahead * due:
            return AHEAD
        if done < self.behind * due:
            return BEHIND
        return NORMAL


@lru_cache(maxsize=16)
def _rule_from_env(ahead: str | None, behind: str | None) -> Rule:
    """The rule the environment gives, read in full (Settings.from_env) only when these two variables change:
    every list request needs the rule, and reading all settings cost more than the rest of its row work."""
    s = Settings.from_env()
    return Rule(ahead=s.progress_ahead, behind=s.progress_behind)
