"""The 超前/正常/滞后/未填报 rule at its edges, and its thresholds from the settings."""
from __future__ import annotations

from decimal import Decimal

import pytest

from registry.config import Settings
from registry.progress.classify import Rule

D = Decimal
RULE = Rule()  # 105 / 95: plan 12 亿元 at month 6 → year-to-date plan 6 亿元


@pytest.mark.parametrize(("completed", "expected"), [
    ("6.3", "正常"),  # exactly 105 % is still 正常
    ("6.3001", "超前"),  # one 万元 above
    ("5.7", "正常"),  # exactly 95 %
    ("5.6999", "滞后"),  # one 万元 below
    ("6", "正常"),
    ("0", "滞后"),
    ("12", "超前"),
])
def test_edges_of_the_default_rule(completed: str, expected: str) -> None:
    assert RULE.classify(D(12), D(completed), 6) == expected


def test_the_plan_is_spread_evenly_over_the_months() -> None:
    # 3 亿元 done: on time in March of a 12 亿元 year (3/12), far behind in December (3/12 of 12/12).
    assert RULE.classify(D(12), D(3), 3) == "正常"
    assert RULE.classify(D(12), D(3), 12) == "滞后"
    assert RULE.classify(D(12), D(3), 1) == "超前"


@pytest.mark.parametrize(("plan", "completed"), [(None, D(1)), (D(0), D(1)), (D(12), None), (None, None)])
def test_no_plan_or_no_figure_is_unreported(plan: Decimal | None, completed: Decimal | None) -> None:
    assert RULE.classify(plan, completed, 6) == "未填报"


def test_thresholds_come_from_the_settings() -> None:
    settings = Settings.from_env({"KPR_PROGRESS_AHEAD": "110", "KPR_PROGRESS_BEHIND": "90%"})
    rule = Rule.from_settings(settings)
    assert (rule.ahead, rule.behind) == (D(110), D(90))
    assert rule.classify(D(12), D("6.5"), 6) == "正常"  # 108 %: 超前 under the default rule
    assert RULE.classify(D(12), D("6.5"), 6) == "超前"
    assert rule.classify(D(12), D("5.5"), 6) == "正常"  # 91.7 %
    assert "110%" in rule.describe() and "90%" in rule.describe()


def test_a_bad_threshold_names_the_setting() -> None:
    with pytest.raises(ValueError, match="KPR_PROGRESS_AHEAD"):
        Settings.from_env({"KPR_PROGRESS_AHEAD": "many"})
    with pytest.raises(ValueError, match="KPR_PROGRESS_BEHIND"):
        Settings.from_env({"KPR_PROGRESS_BEHIND": "-5"})
    with pytest.raises(ValueError, match="expected behind ≤ ahead"):
        Settings.from_env({"KPR_PROGRESS_AHEAD": "90", "KPR_PROGRESS_BEHIND": "95"})
