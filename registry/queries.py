"""One ProjectFilter for every view (CLI, list page, map data, exports): resolve names to codes, select,
count facets and totals, and say the filter in words."""
from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, Select, Text, and_, case, func, or_, select, true
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.sql.elements import ColumnElement

from registry import clock
from registry.errors import BadFilterValue
from registry.memberships import BASIS_WORDS
from registry.models import (
    Location,
    LocationDistrict,
    Project,
    ProjectChain,
    ProjectStrategy,
    Zone,
)
from registry.money import parse_yi, wan_to_yi
from registry.progress import monthly
from registry.progress.classify import CLASSES, UNREPORTED, Rule
from registry.projectrows import project_row
from registry.records import ProjectRow
from registry.sorting import SORT_KEYS, ordered_ids, parse_sort
from registry.spelling import spellings
from registry.vocabulary import Vocabulary

# Query parameter → ProjectFilter field, for the web app, the CLI and shared links.
MULTI_PARAMS = {
    "strategy": "strategies", "corridor": "corridors", "district": "districts", "zone": "zones",
    "chain": "chains", "status": "statuses", "kind": "kinds", "progress_class": "progress_classes",
}
SORTABLE = SORT_KEYS
# Columns the database orders the same way the list does (ASCII codes, numbers); the rest sort in Python.
SQL_SORTS = {"code": Project.code, "total_investment": Project.total_investment, "precision": Project.precision}
# Beyond these a search is not a search: a 1,000-word q makes SQLite's expression tree too deep.
MAX_Q_CHARS, MAX_Q_WORDS = 100, 12
# int64 万元 ends near 9.2e14 亿元; no plan lists a project above 1e9 亿元 (ten times China's yearly GDP × 1000).
MAX_YI = Decimal(10) ** 9
# Filter parameter → (vocabulary kind, what a message calls it).
FILTER_KINDS = {"district": ("districts", "区县"), "zone": ("zones", "开发区"), "strategy": ("strategies", "区域战略"),
                "corridor": ("corridors", "走廊/区域"), "chain": ("chains", "产业链"), "status": ("statuses", "状态"),
                "progress_class": ("progress_classes", "进度评价")}


def _amount(param: str, raw: str) -> Decimal:
    word = "最低总投资" if param == "min_investment" else "最高总投资"
    try:
        amount: Decimal | None = Decimal(raw.strip())
    except ArithmeticError:  # not a number: parse_yi below says so
        amount = None
    if amount is not None and amount.is_finite() and abs(amount) > MAX_YI:
        raise BadFilterValue(f"{word} {param}={raw!r} 超出范围：应在 0 到 {MAX_YI:,f} 亿元之间 (out of range)",
                             param, raw)
    try:
        return parse_yi(raw)
    except ValueError as exc:
        raise BadFilterValue(f"{word} {param}={raw!r} 不是有效金额，应为以亿元计的非负数，如 12.3 ({exc})",
                             param, raw) from None


def parse_as_of(raw: str) -> date:
    """`as_of=YYYY-MM-DD`, strictly (no times, no other spellings), not after today in Beijing."""

    text = raw.strip()
    try:
        if len(text) != 10:
            raise ValueError(text)
        day = date.fromisoformat(text)
    except ValueError:
        raise BadFilterValue(f"日期 as_of={raw!r} 应写作 YYYY-MM-DD，如 2025-06-30 (expected a date)",
                             "as_of", raw) from None
    if day > clock.today():
        raise BadFilterValue(f"日期 as_of={raw!r} 在今天之后 (a date in the future)", "as_of", raw)
    return day


@dataclass(frozen=True)
class ProjectFilter:
    strategies: tuple[str, ...] = ()
    corridors: tuple[str, ...] = ()
    districts: tuple[str, ...] = ()
    zones: tuple[str, ...] = ()
    chains: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    min_investment: Decimal | None = None
    max_investment: Decimal | None = None
    q: str | None = None
    needs_review: bool = False
    # The registry as it stood at the end of this day (Beijing time): not a WHERE clause but the data the
    # views read (registry/asof.py rewinds it); kept here so links, chips, forms and JSON carry it.
    as_of: date | None = None
    progress_classes: tuple[str, ...] = ()
    progress_month: str | None = None  # YYYY-MM the classes refer to; None: the newest month with figures

    @classmethod
    def from_params(cls, params: Mapping[str, Sequence[str]]) -> ProjectFilter:
        """From query parameters (each may repeat or hold comma-separated values). Values no database could
        take (NUL bytes, amounts beyond int64 万元, a search too long for SQL) are refused here, before SQL."""
        values: dict[str, Any] = {}
        for param in (*MULTI_PARAMS, "min_investment", "max_investment", "q", "review", "as_of", "progress_month"):
            for raw in params.get(param, ()):
                if "\x00" in str(raw):
                    raise BadFilterValue(f"参数 {param} 含有空字符（NUL byte），无法查询 ({param}: NUL byte not allowed)",
                                         param, str(raw))
        for param, attr in MULTI_PARAMS.items():
            items = [v.strip() for raw in params.get(param, ()) for v in str(raw).replace("，", ",").split(",")]
            values[attr] = tuple(dict.fromkeys(v for v in items if v))
        for bound in ("min_investment", "max_investment"):
            given = [str(v) for v in params.get(bound, ()) if str(v).strip()]
            if given:
                values[bound] = _amount(bound, given[-1])
        q = " ".join(str(v).strip() for v in params.get("q", ()) if str(v).strip())
        if len(q) > MAX_Q_CHARS or len(q.split()) > MAX_Q_WORDS:
            raise BadFilterValue(f"搜索词过长：最多 {MAX_Q_CHARS} 个字、{MAX_Q_WORDS} 个词，收到 {len(q)} 个字、"
                                f"{len(q.split())} 个词 (q: at most {MAX_Q_CHARS} characters and {MAX_Q_WORDS} words)", "q", q)
        values["q"] = q or None
        values["needs_review"] = any(str(v).lower() in {"1", "true", "yes", "on"} for v in params.get("review", ()))
        given_days = [str(v).strip() for v in params.get("as_of", ()) if str(v).strip()]
        if given_days:
            values["as_of"] = parse_as_of(given_days[-1])
        months = [str(v) for v in params.get("progress_month", ()) if str(v).strip()]
        if months:
            values["progress_month"] = monthly.month_text(monthly.parse_month(months[-1]))
        return cls(**values)

    def to_params(self) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []
        for param, attr in MULTI_PARAMS.items():
            out.extend((param, v) for v in getattr(self, attr))
        if self.min_investment is not None:
            out.append(("min_investment", format(self.min_investment, "f")))
        if self.max_investment is not None:
            out.append(("max_investment", format(self.max_investment, "f")))
        if self.q:
            out.append(("q", self.q))
        if self.needs_review:
            out.append(("review", "1"))
        if self.as_of is not None:
            out.append(("as_of", self.as_of.isoformat()))
        if self.progress_month:
            out.append(("progress_month", self.progress_month))
        return out


def _match(vocab: Vocabulary, param: str, value: str) -> str:
    """The vocabulary's one rule (registry/vocabulary.py), its failures said as a filter says them."""
    kind, what = FILTER_KINDS[param]
    found = vocab.lookup(kind, value)
    if found.code is not None:
        return found.code
    if found.candidates:
        shown = list(found.candidates[:12])
        raise BadFilterValue(f"{what}“{value}”对应多个，请选一个：{'、'.join(f'{n}（{c}）' for c, n in shown)}"
                             f" ({param}={value!r} is ambiguous)", param, value, shown)
    close = list(found.close)
    hint = f"您是不是要找：{'、'.join(label for _, label in close)}？" if close else ""
    examples = ", ".join(vocab.examples(kind, 6))
    raise BadFilterValue(f"没有名为“{value}”的{what}。{hint}({param}={value!r}: unknown; expected a code or "
                         f"a name such as {examples} …)", param, value, close)


def _codes(vocab: Vocabulary, param: str, values: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(_match(vocab, param, v) for v in values))


@dataclass(frozen=True)
class ResolvedFilter:
    """A filter with every value resolved to codes (and trees expanded to their descendants)."""

    raw: ProjectFilter
    vocab: Vocabulary
    strategies: tuple[str, ...] = ()
    corridors: tuple[str, ...] = ()
    districts: tuple[str, ...] = ()
    zones: tuple[str, ...] = ()
    chains: tuple[str, ...] = ()
    labels: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # The codes the user picked, before trees were expanded: a form shows these selected, not a child.
    chosen: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # The month progress classes refer to (given, else the newest with figures) and each project's class
    # then; a project not in the map is 未填报 that month.
    progress_month: tuple[int, int] | None = None
    progress_by_id: dict[int, str] = field(default_factory=dict, compare=False, repr=False)
    progress_rule: Rule = field(default_factory=Rule)

    def progress_class_of(self, project_id: int) -> str:
        return self.progress_by_id.get(project_id, UNREPORTED)


def resolve(session: Session, flt: ProjectFilter, vocab: Vocabulary | None = None) -> ResolvedFilter:
    vocab = vocab or Vocabulary.load(session)
    statuses = _codes(vocab, "status", flt.statuses)
    progress = _codes(vocab, "progress_class", flt.progress_classes)
    rule = Rule.of_session(session)
    month = monthly.parse_month(flt.progress_month) if flt.progress_month else monthly.newest_month(session)
    picked = {attr: _codes(vocab, param, getattr(flt, attr)) for param, attr in MULTI_PARAMS.items()
              if attr in ("districts", "zones", "strategies", "corridors", "chains")}
    labels = {attr: tuple(vocab.name(attr, c) for c in codes) for attr, codes in picked.items()}
    return ResolvedFilter(
        raw=replace(flt, statuses=statuses, progress_classes=tuple(c for c in CLASSES if c in progress)),
        vocab=vocab,
        districts=picked["districts"],
        zones=vocab.descendants("zones", picked["zones"]),
        strategies=vocab.descendants("strategies", picked["strategies"]),
        corridors=vocab.descendants("strategies", picked["corridors"]),
        chains=vocab.descendants("chains", picked["chains"]),
        labels=labels,
        chosen=picked,
        progress_month=month,
        progress_by_id=monthly.classes(session, month, rule),
        progress_rule=rule,
    )


def canonical(rf: ResolvedFilter) -> ProjectFilter:
    """The filter with every name replaced by the code it resolved to: what a form or a link should carry."""
    chosen = rf.chosen
    return replace(rf.raw, strategies=chosen.get("strategies", ()), corridors=chosen.get("corridors", ()),
                   districts=chosen.get("districts", ()), zones=chosen.get("zones", ()), chains=chosen.get("chains", ()))


def conditions(rf: ResolvedFilter, skip: str | None = None) -> list[ColumnElement[bool]]:
    """WHERE clauses: OR within one filter, AND across filters. `skip` leaves one out (for its facet)."""
    flt = rf.raw
    out: list[ColumnElement[bool]] = [Project.archived_at.is_(None)]  # archived projects are in no view
    if rf.strategies and skip != "strategies":
        out.append(Project.id.in_(select(ProjectStrategy.project_id).where(
            ProjectStrategy.strategy_code.in_(rf.strategies), ProjectStrategy.basis == "plan")))
    if rf.corridors and skip != "corridors":
        out.append(Project.id.in_(select(ProjectStrategy.project_id).where(
            ProjectStrategy.strategy_code.in_(rf.corridors))))
    if rf.districts and skip != "districts":
        out.append(Project.id.in_(
            select(Location.project_id).join(LocationDistrict).where(LocationDistrict.adcode.in_(rf.districts))))
    if rf.zones and skip != "zones":
        out.append(Project.zone_code.in_(rf.zones))
    if rf.chains and skip != "chains":
        out.append(Project.id.in_(select(ProjectChain.project_id).where(ProjectChain.chain_code.in_(rf.chains))))
    if flt.statuses and skip != "statuses":
        out.append(Project.status.in_(flt.statuses))
    if flt.kinds and skip != "kinds":
        out.append(Project.kind.in_(flt.kinds))
    if flt.min_investment is not None:
        out.append(Project.total_investment >= flt.min_investment)
    if flt.max_investment is not None:
        out.append(Project.total_investment <= flt.max_investment)
    if flt.q:
        out.extend(_word_matches(word) for word in flt.q.split())
    if flt.needs_review:
        out.append(Project.id.in_(select(Location.project_id).where(Location.needs_review.is_(True))))
    if flt.progress_classes and skip != "progress_classes":
        out.append(_progress_condition(rf))
    return out


def _progress_condition(rf: ResolvedFilter) -> ColumnElement[bool]:
    """Projects in the chosen classes for the month: 未填报 is every project without a known class."""
    return monthly.class_clause(rf.progress_rule, rf.progress_month, rf.raw.progress_classes)


def progress_counts(rf: ResolvedFilter, ids: Sequence[int] | Any) -> list[tuple[str, int]]:  # or an int64 array
    """(class, projects) for these projects, in the classes' fixed order, zero counts left out. Walks the
    projects with a known class (a few hundred), not the view (up to 100,000 ids on every list request)."""
    import numpy as np

    view = np.asarray(ids, dtype=np.int64)
    counts = dict.fromkeys(CLASSES, 0)
    known = rf.progress_by_id
    if known:
        known_ids = np.fromiter(known.keys(), dtype=np.int64, count=len(known))
        in_view = np.isin(known_ids, view)
        for pid, shown in zip(known.keys(), in_view.tolist(), strict=True):
            if shown:
                counts[known[pid]] += 1
    counts[UNREPORTED] += len(view) - sum(counts.values())
    return [(cls, n) for cls, n in counts.items() if n]


def _word_matches(word: str) -> ColumnElement[bool]:
    """One search word in any text a user may know the project by (facetindex.search_text mirrors this)."""
    # % and _ are the user's characters, not wildcards.
    patterns = ["%" + w.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%" for w in spellings(word)]

    def like(column: Any) -> ColumnElement[bool]:
        return or_(*(column.ilike(p, escape="\\") for p in patterns))

    zones = select(Zone.code).where(or_(like(Zone.name), like(func.cast(Zone.aliases, Text()))))
    return or_(like(Project.name), like(Project.code), like(Project.builder), like(func.cast(Project.aliases, Text())),
               like(Project.group_name), like(Project.description), Project.zone_code.in_(zones))


def select_projects(rf: ResolvedFilter, sort: str | None = None,
                    ids: Sequence[int] | None = None) -> Select[Project]:
    """Matching projects; `ids` (already matched, e.g. by the facet index) replaces the filter. Ordered
    by the database only for columns it orders as the list does (SQL_SORTS), else by code: fetch_rows and
    iter_rows put those in pinyin order (registry/sorting.py)."""
    where = Project.id.in_([int(i) for i in ids]) if ids is not None else and_(true(), *conditions(rf))
    stmt = select(Project).where(where)
    key, descending = parse_sort(sort)
    if key not in SQL_SORTS:
        return stmt.order_by(Project.code)
    column = SQL_SORTS[key]
    ordered = column.desc() if descending else column.asc()
    if not Project.__table__.c[column.key].nullable:
        # No NULLs to put last: a plain ORDER BY lets the column's index answer LIMIT 50 without a sort.
        return stmt.order_by(ordered, Project.code)
    # NULL amounts sort last in both directions, on both databases.
    return stmt.order_by(column.is_(None), ordered, Project.code)


def _with_children(stmt: Select[Project]) -> Select[Project]:
    return stmt.options(
        selectinload(Project.chains), selectinload(Project.strategies), selectinload(Project.sources),
        selectinload(Project.locations).selectinload(Location.districts), selectinload(Project.progress),
    )


def _list_order(session: Session, rf: ResolvedFilter, sort: str | None) -> list[int] | None:
    """Every matching id in list order when Python must order them (pinyin), else None (SQL orders)."""
    if parse_sort(sort)[0] in SQL_SORTS:
        return None
    matching = list(session.scalars(select(Project.id).where(and_(true(), *conditions(rf)))))
    return ordered_ids(session, matching, sort)


def fetch_rows(session: Session, rf: ResolvedFilter, *, sort: str | None = None,
               limit: int | None = None, offset: int = 0, ids: Sequence[int] | None = None) -> list[ProjectRow]:
    """One page of rows; with `ids`, those projects in exactly that order."""
    if ids is None:
        in_order = _list_order(session, rf, sort)
        if in_order is not None:
            ids = in_order[offset:None if limit is None else offset + limit]
    if ids is not None:
        position = {int(pid): i for i, pid in enumerate(ids)}
        projects = session.scalars(_with_children(select(Project).where(Project.id.in_(list(position)))))
        return [project_row(p, rf.vocab, rf.progress_rule) for p in sorted(projects, key=lambda p: position[p.id])]
    stmt = _with_children(select_projects(rf, sort)).offset(offset)
    if limit is not None:
        stmt = stmt.limit(limit)
    return [project_row(p, rf.vocab, rf.progress_rule) for p in session.scalars(stmt)]


def iter_rows(session: Session, rf: ResolvedFilter, *, sort: str | None = None,
              chunk: int = 2000) -> Iterator[ProjectRow]:
    """Every matching row, fetched in chunks so memory stays flat for large exports."""
    ids = _list_order(session, rf, sort)
    if ids is None:
        ids = list(session.scalars(select_projects(rf, sort).with_only_columns(Project.id)))
    for start in range(0, len(ids), chunk):
        part = ids[start:start + chunk]
        by_id = {p.id: p for p in session.scalars(_with_children(select(Project).where(Project.id.in_(part))))}
        for pid in part:
            yield project_row(by_id[pid], rf.vocab, rf.progress_rule)
        session.expunge_all()


@dataclass(frozen=True)
class Totals:
    count: int
    investment_sum: Decimal
    without_amount: int


def counted_amount(where: Sequence[ColumnElement[bool]]) -> ColumnElement[Any]:
    """The stored integer 万元 a sum may add for a project matching `where`: none for a part whose package
    matches too (the package's 总投资 already holds it: a part and its parent are never counted twice)."""
    raw_amount = Project.__table__.c.total_investment
    matching = select(Project.code).where(and_(true(), *where)).correlate(None)
    return case((Project.parent_code.in_(matching), None), else_=raw_amount)


def totals(session: Session, rf: ResolvedFilter) -> Totals:
    # Sum the stored integer 万元 so the total is exact on both databases.
    where = conditions(rf)
    raw_amount = Project.__table__.c.total_investment
    count, wan, known = session.execute(
        select(func.count(Project.id), func.coalesce(func.sum(counted_amount(where), type_=BigInteger), 0),
               func.count(raw_amount))
        .where(and_(true(), *where))
    ).one()
    return Totals(count=int(count), investment_sum=wan_to_yi(int(wan)), without_amount=int(count) - int(known))


@dataclass(frozen=True)
class FacetValue:
    code: str
    label: str
    count: int
    selected: bool


def facets(session: Session, rf: ResolvedFilter) -> dict[str, list[FacetValue]]:
    """Counts per value under every other filter (Datasette-style), largest first."""
    out: dict[str, list[FacetValue]] = {}
    links: dict[str, Any] = {
        "strategies": select(ProjectStrategy.strategy_code, ProjectStrategy.project_id)
        .where(ProjectStrategy.basis == "plan"),
        "districts": select(LocationDistrict.adcode, Location.project_id)
        .join(Location, Location.id == LocationDistrict.location_id),
        "chains": select(ProjectChain.chain_code, ProjectChain.project_id),
    }
    for key, link in links.items():
        sub = link.subquery()
        # A project has at most one link row per chain, and per strategy with basis 'plan' (primary keys):
        # count(*) then equals count(DISTINCT) without its per-group sort. Districts can repeat (two sites).
        counted = func.count(func.distinct(sub.c[1])) if key == "districts" else func.count()
        where = conditions(rf, skip=key)
        stmt = select(sub.c[0], counted).group_by(sub.c[0])
        if where:  # unfiltered: every link row belongs to a project (foreign keys), no semi-join needed
            stmt = stmt.where(sub.c[1].in_(select(Project.id).where(and_(*where))))
        out[key] = _facet_values(session.execute(stmt).all(), rf.vocab.names(key), getattr(rf, key))
    for key, column in (("zones", Project.zone_code), ("statuses", Project.status), ("kinds", Project.kind)):
        stmt = (select(column, func.count(Project.id)).where(and_(true(), *conditions(rf, skip=key)), column.is_not(None))
                .group_by(column))
        selected = getattr(rf, key) if key == "zones" else getattr(rf.raw, key)
        out[key] = _facet_values(session.execute(stmt).all(), rf.vocab.names(key), selected)
    ids = session.scalars(select(Project.id).where(and_(true(), *conditions(rf, skip="progress_classes"))))
    out["progress_classes"] = progress_facet(rf, list(ids))
    return out


def progress_facet(rf: ResolvedFilter, ids: Sequence[int] | Any) -> list[FacetValue]:  # or an int64 array
    """The progress-class facet in the classes' fixed order (超前, 正常, 滞后, 未填报), not by count."""
    chosen = rf.raw.progress_classes
    return [FacetValue(cls, cls, n, cls in chosen) for cls, n in progress_counts(rf, ids)]


def _facet_values(pairs: Sequence[tuple[Any, Any]], labels: Mapping[str, str],
                  selected: Sequence[str]) -> list[FacetValue]:
    values = [FacetValue(str(code), labels.get(str(code), str(code)), int(n), str(code) in selected)
              for code, n in pairs]
    return sorted(values, key=lambda v: (-v.count, v.code))


@dataclass(frozen=True)
class FilterWords:
    """The words one language says a filter in: describe() walks the filter once and fills these."""

    facets: Mapping[str, str]  # filter attribute → what it is called
    item: str  # "{key}{values}" joined by the language's colon
    sep: str  # between values
    join: str  # between parts
    plan: str  # after the strategies part (Chinese: they are the plans' ties)
    covers: str
    unconfirmed: str
    statuses: str
    kinds: str
    min_investment: str
    max_investment: str
    q: str
    review: str
    as_of: str
    progress: str
    month: str
    no_month: str
    everything: str


FACETS_WORDS = {"strategies": "区域战略", "corridors": "走廊/区域（规划所列或位置落在）", "districts": "区县",
                "zones": "开发区", "chains": "产业链"}
# The same for the English interface; names stay as recorded (data is not translated).
FACETS_WORDS_EN = {"strategies": "regional strategy (stated by a plan)",
                   "corridors": "corridor / region (stated by a plan or by location)", "districts": "district",
                   "zones": "development zone", "chains": "industry chain"}
FILTER_WORDS = {
    "zh": FilterWords(
        facets=FACETS_WORDS, item="{key}：{values}", sep="、", join="；", plan=f"（{BASIS_WORDS['zh']['plan']}）",
        covers=f"注：{{names}}{BASIS_WORDS['zh']['covers_all']}",
        unconfirmed=f"注：{{names}}{BASIS_WORDS['zh']['unconfirmed']}", statuses="状态：{values}",
        kinds="类别：{values}", min_investment="总投资 ≥ {v} 亿元", max_investment="总投资 ≤ {v} 亿元",
        q="关键词：“{q}”", review="仅待核实位置", as_of="截至 {day}（北京时间当日结束时）的项目库",
        progress="进度评价（{month}）：{values}（{rule}）", month="{y}年1-{m}月", no_month="尚无调度数据",
        everything="全部项目（未筛选）"),
    "en": FilterWords(
        facets=FACETS_WORDS_EN, item="{key}: {values}", sep=", ", join="; ", plan="",
        covers=f"note: {{names}} {BASIS_WORDS['en']['covers_all']}",
        unconfirmed=f"note: {{names}}: {BASIS_WORDS['en']['unconfirmed']}", statuses="status: {values}",
        kinds="kind: {values}", min_investment="total investment ≥ {v} 亿元",
        max_investment="total investment ≤ {v} 亿元", q="search: “{q}”", review="only locations to verify",
        as_of="the registry as of the end of {day} (Beijing time)", progress="progress ({month}): {values}",
        month="{y}-{m:02d}", no_month="no monthly figures yet", everything="all projects (no filter)"),
}


def describe(rf: ResolvedFilter, lang: str = "zh") -> str:
    """The filter in words, as pages print it and exports' 口径说明 (Chinese) state it. Strategies are the
    plans' ties; corridors include location ties and, for a region holding all of Taiyuan, say that they
    narrow nothing within the city. Names are as recorded; fixed words (statuses, classes) are translated."""
    words = FILTER_WORDS[lang if lang in FILTER_WORDS else "zh"]
    flt, vocab = rf.raw, rf.vocab
    parts = [words.item.format(key=words.facets[attr], values=words.sep.join(rf.labels[attr]))
             + (words.plan if attr == "strategies" else "") for attr in words.facets if rf.labels.get(attr)]
    corridors = rf.chosen.get("corridors", ())
    for template, marked in ((words.covers, vocab.covering), (words.unconfirmed, vocab.unconfirmed)):
        names = [vocab.name("strategies", c) for c in corridors if c in marked]
        if names:
            parts.append(template.format(names=words.sep.join(names)))
    if flt.statuses:
        parts.append(words.statuses.format(values=words.sep.join(vocab.word("statuses", s, lang) for s in flt.statuses)))
    if flt.kinds:
        parts.append(words.kinds.format(values=words.sep.join(flt.kinds)))
    if flt.min_investment is not None:
        parts.append(words.min_investment.format(v=flt.min_investment))
    if flt.max_investment is not None:
        parts.append(words.max_investment.format(v=flt.max_investment))
    if flt.q:
        parts.append(words.q.format(q=flt.q))
    if flt.needs_review:
        parts.append(words.review)
    if flt.as_of is not None:
        parts.append(words.as_of.format(day=flt.as_of.isoformat()))
    if flt.progress_classes:
        month = words.no_month if rf.progress_month is None else \
            words.month.format(y=rf.progress_month[0], m=rf.progress_month[1])
        rule = rf.progress_rule.describe_en() if lang == "en" else rf.progress_rule.describe()
        parts.append(words.progress.format(month=month, rule=rule, values=words.sep.join(
            vocab.word("progress_classes", c, lang) for c in flt.progress_classes)))
    return words.join.join(parts) if parts else words.everything


def progress_month_words(rf: ResolvedFilter) -> str:
    words = FILTER_WORDS["zh"]
    if rf.progress_month is None:
        return words.no_month
    return words.month.format(y=rf.progress_month[0], m=rf.progress_month[1])
