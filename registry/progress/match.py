"""Find the project a 调度 row means: by code, then by exact name, then by exact alias. A row that only looks
like a project (a near name) is never matched: it is reported with the candidates, for the user to confirm by
writing the code into the sheet's 项目编号 column."""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.models import Project
from registry.progress.headers import normalise


@dataclass(frozen=True)
class Known:
    id: int
    code: str
    name: str
    total: Decimal | None


@dataclass(frozen=True)
class Match:
    project: Known | None
    how: str  # code | name | alias | none
    problem: str | None = None  # why there is no match (unknown code, several projects, only near names)
    candidates: tuple[Known, ...] = ()


@dataclass
class Index:
    by_code: dict[str, Known] = field(default_factory=dict)
    by_name: dict[str, list[Known]] = field(default_factory=dict)
    by_alias: dict[str, list[Known]] = field(default_factory=dict)

    @classmethod
    def load(cls, session: Session) -> Index:
        index = cls()
        rows = session.execute(select(Project.id, Project.code, Project.name, Project.aliases,
                                      Project.total_investment).where(Project.archived_at.is_(None)))
        for pid, code, name, aliases, total in rows:
            known = Known(pid, code, name, total)
            index.by_code[code.upper()] = known
            index.by_name.setdefault(normalise(name), []).append(known)
            for alias in aliases or ():
                index.by_alias.setdefault(normalise(alias), []).append(known)
        return index

    def match(self, code: str | None, name: str | None) -> Match:
        if code:
            known = self.by_code.get(code.upper())
            if known is None:
                return Match(None, "none", f"项目编号 {code} 不存在或已归档 (no such project code)")
            return Match(known, "code")
        key = normalise(name)
        if not key:
            return Match(None, "none", "既无项目编号也无项目名称 (neither code nor name)")
        for how, table in (("name", self.by_name), ("alias", self.by_alias)):
            found = {k.id: k for k in table.get(key, [])}
            if len(found) == 1:
                return Match(next(iter(found.values())), how)
            if len(found) > 1:
                return Match(None, "none", "名称对应多个项目，请填写项目编号确认 (name matches several projects)",
                             tuple(sorted(found.values(), key=lambda k: k.code)))
        near = self._near(key)
        if near:
            return Match(None, "none", "未精确匹配；相近的项目见候选，请在“项目编号”列填写编号确认 "
                                       "(no exact match; confirm a candidate by its code)", near)
        return Match(None, "none", "库中没有此项目 (no project with this name, alias or code)")

    def _near(self, key: str) -> tuple[Known, ...]:
        """Projects whose name or alias contains the row's name, is contained in it, or is very close to it."""
        names = {**{n: ks for n, ks in self.by_alias.items()}, **self.by_name}
        hits = {n for n in names if len(key) >= 4 and len(n) >= 4 and (key in n or n in key)}
        hits |= set(difflib.get_close_matches(key, list(names), n=3, cutoff=0.8))
        found = {k.id: k for n in hits for k in names[n]}
        return tuple(sorted(found.values(), key=lambda k: k.code))[:5]
