"""Recall of box items: how many hand-checked items of 001/004 boxes the parser finds, without overrides."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from registry.planparse.boxes import find_boxes
from registry.planparse.items import box_items
from registry.planparse.normalize import read_lines

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = ROOT.parent / "shared" / "seeds"
EXPECTED = yaml.safe_load((ROOT / "tests" / "data" / "box_items_expected.yaml").read_text(encoding="utf-8"))


def box_recall() -> tuple[int, int, dict[str, list[str]]]:
    """(found, expected, missed names by document/box); exact name match within the same box."""
    found = total = 0
    missed: dict[str, list[str]] = {}
    for doc, boxes in EXPECTED.items():
        path = next(DOCUMENTS.glob(f"{doc}_*.txt"))
        parsed = {b.code: {i.name for i in box_items(b)} for b in find_boxes(read_lines(path.read_text("utf-8")))}
        for code, names in boxes.items():
            for name in names:
                total += 1
                if name in parsed.get(code, set()):
                    found += 1
                else:
                    missed.setdefault(f"{doc}/{code}", []).append(name)
    return found, total, missed


@pytest.mark.skipif(not DOCUMENTS.exists(), reason="../shared/seeds not present")
def test_box_item_recall() -> None:
    found, total, missed = box_recall()
    recall = found / total
    print(f"box-item recall {found}/{total} = {recall:.1%}; missed: {missed}")
    assert recall >= 0.93
    # Every numbered 001 item is found: these carry the investments.
    assert not any(key.startswith("001/") for key in missed)
