"""List order for every column the list shows: what a user sees in a column is what it sorts by, Chinese
text by pinyin (not code point), empty cells last in both directions, ties by code."""
from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from functools import cache

from pypinyin import Style, lazy_pinyin
from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.errors import BadFilterValue
from registry.fields import STATUSES
from registry.models import Project, ProjectChain, ProjectStrategy
from registry.vocabulary import Vocabulary

# Column key (as in textout.LIST_COLUMNS and ?sort=) → what it sorts by.
SORT_KEYS = ("code", "name", "total_investment", "status", "district", "zone", "strategies", "chains",
             "precision", "precision_label")
SortValue = tuple[object, ...] | int | str


@cache
def _char_key(char: str) -> str:
    # Per character (cached): 100,000 names take about a second, where whole-phrase conversion takes a minute.
    if "\u3400" <= char <= "\u9fff":
        return str(lazy_pinyin(char, style=Style.TONE3)[0]).lower()
    return char.lower()


def pinyin_key(text: str) -> tuple[str, ...]:
    """Sort key that puts 北京 before 太原 before 小店 (pinyin with tone numbers, character by character)."""
    return (*(_char_key(c) for c in text), "\uffff", text)


def parse_sort(sort: str | None) -> tuple[str, bool]:
    """?sort=name / -name → (key, descending); an unknown column is a clear error with the closest ones."""
    raw = (sort or "code").strip() or "code"
    key = raw.lstrip("-")
    if key not in SORT_KEYS:
        close = difflib.get_close_matches(key, SORT_KEYS, n=3, cutoff=0.5)
        hint = f"；您是不是要找：{'、'.join(close)}" if close else ""
        raise BadFilterValue(f"排序列 sort={raw!r} 不存在（unknown column; expected one of "
                             f"{', '.join(SORT_KEYS)}）{hint}", "sort", raw, [(c, c) for c in close])
    return ("precision" if key == "precision_label" else key), raw.startswith("-")


def column_values(session: Session, key: str) -> dict[int, SortValue | None]:
    """Project id → the sort value of its cell in column `key` (None for an empty cell)."""
    vocab = Vocabulary.load(session)
    if key in ("strategies", "chains"):
        link = (select(ProjectStrategy.project_id, ProjectStrategy.strategy_code)
                .where(ProjectStrategy.basis == "plan") if key == "strategies"
                else select(ProjectChain.project_id, ProjectChain.chain_code))
        labels = vocab.names(key)
        joined: dict[int, list[str]] = {}
        for pid, code in sorted(session.execute(link).all(), key=lambda r: (r[0], r[1])):
            joined.setdefault(int(pid), []).append(labels.get(code, code))
        return {pid: pinyin_key("、".join(parts)) for pid, parts in joined.items()}
    column = {"code": Project.code, "name": Project.name, "total_investment": Project.total_investment,
              "status": Project.status, "district": Project.district_code, "zone": Project.zone_code,
              "precision": Project.precision}[key]
    pairs = session.execute(select(Project.id, column)).all()
    return {int(pid): sort_value(key, value, vocab) for pid, value in pairs}


def sort_value(key: str, value: object, vocab: Vocabulary) -> SortValue | None:
    if value is None:
        return None
    if key == "status":  # the life cycle's order, unknown last
        return STATUSES.index(str(value)) if value in STATUSES else len(STATUSES)
    if key == "district":
        return pinyin_key(vocab.name("districts", str(value)))
    if key == "zone":
        return pinyin_key(vocab.name("zones", str(value)))
    if key == "name":
        return pinyin_key(str(value))
    if key == "total_investment":
        return (value,)
    return value if isinstance(value, int | str) else str(value)


def ordered(ids: Sequence[int], codes: Mapping[int, str], values: Mapping[int, SortValue | None],
            descending: bool) -> list[int]:
    """`ids` in list order: by value (descending if asked), empty cells last, ties by code ascending."""
    by_code = sorted(ids, key=lambda i: codes[i])
    present = [i for i in by_code if values.get(i) is not None]
    # sorted() stays stable with reverse=True, so ties keep code order in both directions.
    present.sort(key=lambda i: values[i], reverse=descending)  # type: ignore[arg-type,return-value]
    return present + [i for i in by_code if values.get(i) is None]


def ordered_ids(session: Session, ids: Sequence[int], sort: str | None) -> list[int]:
    key, descending = parse_sort(sort)
    codes = dict(session.execute(select(Project.id, Project.code)).all())
    values = codes if key == "code" else column_values(session, key)
    return ordered(ids, codes, values, descending)
