"""Stage words the plans use for an item → the registry's status (registry/models.py STATUSES).

The one mapping table. The word is always kept beside the status (seed key `status_text`), so a reader sees
what the plan said; an item without a stage word of its own stays "unknown" (未注明).

Statuses describe the item when the plan was written:
- 谋划: the plan only conceives it ("谋划…项目").
- 前期: the plan schedules works that have not started: a site is being chosen (拟选址), a build is proposed
  (拟建), or the plan says to build new, rebuild elsewhere, extend or upgrade (新建, 迁建, 搬迁, 扩建, 改扩建,
  提档升级) — preparatory work, the 前期 of key-project practice.
- 在建: works continue (续建), or the plan's target is to finish them within the period (建成…): they are
  being built during the plan period.
- 竣工 / 投产: the plan reports them finished (已建成, 建成通车, 建成投运) or producing (建成投产, 已投产).
"""
from __future__ import annotations

import re
from collections.abc import Sequence

# (stage word, status). Longer words first: 建成投产 is read before 建成, 改扩建 before 扩建.
STAGE_WORDS: tuple[tuple[str, str], ...] = (
    ("谋划", "谋划"),
    ("拟选址", "前期"),
    ("拟建", "前期"),
    ("提档升级", "前期"),
    ("改扩建", "前期"),
    ("扩建", "前期"),
    ("迁建", "前期"),
    ("搬迁", "前期"),
    ("新建", "前期"),
    ("续建", "在建"),
    ("建成投产", "投产"),
    ("已投产", "投产"),
    ("已建成", "竣工"),
    ("建成通车", "竣工"),
    ("建成投运", "竣工"),
    ("建成", "在建"),
)
STATUS_OF: dict[str, str] = dict(STAGE_WORDS)
# Uses of the words that say nothing about this item's stage: a condition (基地建成后, 学校建成将满足,
# 建成投产后实现…), a rate (建成率), another party's section (河北拟建的…), a street (新建路).
_NOT_A_STAGE = re.compile(r"建成(?:投产)?(?:后|将|率)|拟建的|新建[路街]")
_WORD = re.compile("|".join(sorted((re.escape(w) for w, _ in STAGE_WORDS), key=len, reverse=True)))
_CLAUSE = re.compile(r"[^，。；:：]+")


def stage_word(text: str) -> str | None:
    """The first stage word of a passage, skipping uses that are no stage."""
    clean = _NOT_A_STAGE.sub(lambda m: "※" * len(m.group(0)), text)
    match = _WORD.search(clean)
    return match.group(0) if match else None


def _clause_of(name: str, text: str) -> str | None:
    """The clause of a list sentence that lists `name` (clauses split at ，。；:)."""
    probe = name[:4]
    return next((m.group(0) for m in _CLAUSE.finditer(text) if probe in m.group(0)), None)


def listed_stage(name: str, sentence: str, names: Sequence[str]) -> str | None:
    """The stage word that governs a listed item: its own name first ("第一热电厂搬迁重建"), else the words of
    its clause once every listed name is removed ("建成A、B等一批新学校", "A、B等项目提档升级建设")."""
    own = stage_word(name)
    if own:
        return own
    clause = _clause_of(name, sentence)
    if clause is None:
        return None
    for other in sorted(names, key=len, reverse=True):
        clause = clause.replace(other, "、")
    return stage_word(clause)


def status_for(word: str | None) -> str:
    return STATUS_OF.get(word, "unknown") if word else "unknown"
