from decimal import Decimal

import pytest

from registry.capacity import parse_capacity


@pytest.mark.parametrize("text, expected", [
    ("路线全长约85公里", (Decimal(85), "公里")),           # 001 专栏1 (1)
    ("年产10GW高效单晶硅棒、片项目", (Decimal(10), "GW")),
    ("路线全长24.3公里", (Decimal("24.3"), "公里")),
    ("规划用地面积570亩；总建筑面积113580平方米", None),     # two quantities: not clear, left empty
    ("小学6轨、初中10轨、高中12轨", None),
    (None, None),
])
def test_capacity_only_where_clear(text: str | None, expected: tuple[Decimal, str] | None) -> None:
    assert parse_capacity(text) == expected
