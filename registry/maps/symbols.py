"""How big a project's symbol is: its area grows with 总投资 (radius ∝ √amount), scaled so the largest amount
on the map gets R_MAX pixels. The page draws with the same numbers it shows in the size key."""
from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

R_MAX = 22.0  # px: the largest amount in view of the filter
R_MIN = 3.0  # px: below this a symbol cannot be seen or clicked; the key says so


def radius(amount: float, largest: float) -> float:
    if largest <= 0 or amount <= 0:
        return R_MIN
    return max(R_MIN, R_MAX * math.sqrt(amount / largest))


def _nice_below(value: float) -> float:
    """The largest 1-2-5 step number not above value (e.g. 300 → 200, 15.37 → 10, 0.3 → 0.2)."""
    power = 10 ** math.floor(math.log10(value))
    for step in (5, 2, 1):
        if step * power <= value:
            return float(f"{step * power:.6g}")  # 2 * 0.01 is 0.02, not 0.020000000000000004
    return power


def size_scale(amounts: Sequence[float]) -> dict[str, Any] | None:
    """The scale of the sized symbols for these amounts (亿元), or None when no symbol is sized.

    ticks are the key's reference circles: the largest amount itself, then round numbers (1-2-5) at most three tenths
    and a twentieth of it, dropped once they would be no bigger than the smallest symbol."""
    positive = [a for a in amounts if a > 0]
    if not positive:
        return None
    largest = max(positive)
    values = [largest]
    for fraction in (0.3, 0.05):
        candidate = _nice_below(largest * fraction)
        if radius(candidate, largest) > R_MIN + 1 and candidate < values[-1]:
            values.append(candidate)
    return {"largest": largest, "r_max": R_MAX, "r_min": R_MIN, "rule": "sqrt",
            "ticks": [{"value": v, "r": round(radius(v, largest), 2)} for v in values]}
