"""超前 / 正常 / 滞后 / 未填报 for one project and month.

Rule (Nanning 市领导联系项目 system, see ../shared/docs/progress_formats.md §3): year-to-date completed
investment ÷ year-to-date plan, where the plan is the annual plan spread evenly over the months
(plan × month ÷ 12). Above `ahead` % is 超前, below `behind` % is 滞后, from `behind` to `ahead` inclusive is
正常. No annual plan (or a zero one) or no completed figure is 未填报. Compared exactly, in integers."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from registry.config import Settings

AHEAD, NORMAL, BEHIND, UNREPORTED = "超前", "正常", "滞后", "未填报"
CLASSES = (AHEAD, NORMAL, BEHIND, UNREPORTED)


@dataclass(frozen=True)
class Rule:
    ahead: Decimal = Decimal(105)
    behind: Decimal = Decimal(95)

    @classmethod
    def from_settings(cls, settings: Settings) -> Rule:
        return cls(ahead=settings.progress_ahead, behind=settings.progress_behind)

    @classmethod
    def of_session(cls, session: Any) -> Rule:
        """The rule of the Settings the session was made with (registry/db.py make_session_factory puts them in
        session.info); a session made without Settings (a test's own) uses the documented defaults, 105/95."""
        settings = session.info.get("settings") if session is not None else None
        return cls.from_settings(settings) if settings is not None else cls()

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

