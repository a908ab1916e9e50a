"""The filter form, chips and facet links of the list and the map, built from the resolved filter so that
submitting a page's form unchanged asks for exactly the filter the page shows (codes, not names; the
picked parent, not a child of it; values that match nothing kept; the review flag kept)."""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TypeVar
from urllib.parse import urlencode

from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict

from registry.errors import BadFilterValue
from registry.progress.monthly import month_text, months_with_figures
from registry.queries import FacetValue, ResolvedFilter, canonical

T = TypeVar("T")

Params = list[tuple[str, str]]
# Facet key → URL parameter, in the order the form shows them.
FIELDS = (("strategies", "strategy"), ("districts", "district"), ("zones", "zone"), ("chains", "chain"),
          ("statuses", "status"), ("kinds", "kind"), ("corridors", "corridor"), ("progress_classes", "progress_class"))
PARAM_OF = dict(FIELDS)


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    count: int | None
    selected: bool


@dataclass(frozen=True)
class Field:
    key: str  # facet key, also the i18n string naming the field
    param: str
    options: tuple[Option, ...]
    extra: tuple[str, ...]  # further chosen values the single select cannot show: hidden inputs


@dataclass(frozen=True)
class Chip:
    param: str
    value: str
    label: str  # a place, zone, chain or strategy name as recorded; other values are worded by the template
    query: str  # the page's query without this one value
    # memberships.BASIS_WORDS keys: on what ground the chosen value matches (规划所列 …) and what to know about it.
    marks: tuple[str, ...] = ()


@dataclass(frozen=True)
class FilterForm:
    params: Params  # the canonical filter as URL parameters (codes)
    fields: tuple[Field, ...]
    q: str
    min_investment: str
    max_investment: str
    review: bool
    chips: tuple[Chip, ...]
    as_of: str = ""  # YYYY-MM-DD: the page shows the registry as it stood then
    now_query: str = ""  # the same page without as_of: today's registry
    progress_month: str = ""  # as asked; "" is the newest month with figures
    progress_months: tuple[str, ...] = ()  # the months a user can pick (YYYY-MM, newest first)
    progress_shown: str = ""  # the month the classes refer to, asked or newest

    def is_chosen(self, key: str, code: str) -> bool:
        return (PARAM_OF[key], code) in self.params

    @cached_property
    def _params_query(self) -> str:
        return query(self.params)

    def toggle(self, key: str, code: str, keep: Params | None = None) -> str:
        """The query for clicking a facet value: add it, or remove it when it is already chosen. A list page
        has ~100 facet links: the page's own parameters are encoded once, not once per link."""
        pair = (PARAM_OF[key], code)
        if pair in self.params:
            return query([p for p in self.params if p != pair] + list(keep or []))
        return "&".join(part for part in (self._params_query, query([pair, *(keep or [])])) if part)


def query(params: Sequence[tuple[str, str]]) -> str:
    """A URL query without empty parameters."""
    return urlencode([(k, v) for k, v in params if v != ""])


def forgiving(build: Callable[[MultiDict[str, str]], T],
              args: MultiDict[str, str]) -> tuple[T, list[BadFilterValue]]:
    """Build a page for `args`; when a value cannot be used, build it without just that value (the user
    stays on the page, with the form) and return every such error to show with it."""
    errors: list[BadFilterValue] = []
    for _ in range(8):  # each pass drops one bad value; a URL holds only a few
        try:
            return build(args), errors
        except BadFilterValue as exc:
            errors.append(exc)
            args = _without(args, exc)
    return build(MultiDict()), errors


def _split(value: str) -> list[str]:
    return [v.strip() for v in value.replace("，", ",").split(",")]


def _without(args: MultiDict[str, str], error: BadFilterValue) -> MultiDict[str, str]:
    pairs = list(args.items(multi=True))
    if not any(k == error.param and error.value in _split(v) for k, v in pairs):
        return MultiDict([(k, v) for k, v in pairs if k != error.param])  # e.g. q joined from several
    out = []
    for k, v in pairs:
        if k == error.param:
            v = ",".join(x for x in _split(v) if x != error.value)
        if v.strip():
            out.append((k, v))
    return MultiDict(out)


def progress_months(session: Session) -> list[str]:
    """The months with progress figures, newest first, as the form's month picker offers them."""
    return [month_text(ym) for ym in months_with_figures(session)]


def fixes(errors: Sequence[BadFilterValue], params: Params, keep: Params) -> list[tuple[str, str]]:
    """Did-you-mean links: the page's filter with each suggested value in place of the bad one."""
    return [(label, query([*params, (error.param, code), *keep])) for error in errors
            for code, label in error.suggestions]


def chosen_codes(rf: ResolvedFilter) -> dict[str, tuple[str, ...]]:
    return {**rf.chosen, "statuses": rf.raw.statuses, "kinds": rf.raw.kinds,
            "progress_classes": rf.raw.progress_classes}


def build(rf: ResolvedFilter, facets: Mapping[str, Sequence[FacetValue]], keep: Params,
          months: Sequence[str] = ()) -> FilterForm:
    """`keep`: parameters that are not part of the filter but should survive a chip's removal (sort, map
    grouping); `months`: the months with progress figures, newest first."""
    flt = canonical(rf)
    params = flt.to_params()
    chosen = chosen_codes(rf)
    fields = tuple(_field(rf, facets, key, param, chosen.get(key, ())) for key, param in FIELDS)
    return FilterForm(
        params=params, fields=fields, q=flt.q or "",
        min_investment="" if flt.min_investment is None else format(flt.min_investment, "f"),
        max_investment="" if flt.max_investment is None else format(flt.max_investment, "f"),
        review=flt.needs_review, chips=tuple(_chips(rf, params, keep)),
        as_of=flt.as_of.isoformat() if flt.as_of else "",
        now_query=query([p for p in params if p[0] != "as_of"] + keep),
        progress_month=flt.progress_month or "",
        # A month asked for that has no figures stays pickable, or submitting the form would drop it.
        progress_months=tuple(dict.fromkeys([*months, *([flt.progress_month] if flt.progress_month else [])])),
        progress_shown=month_text(rf.progress_month),
    )


def _label(rf: ResolvedFilter, key: str, code: str) -> str:
    return rf.vocab.name(key, code)


def _field(rf: ResolvedFilter, facets: Mapping[str, Sequence[FacetValue]], key: str, param: str,
           chosen: tuple[str, ...]) -> Field:
    values: list[tuple[str, str, int | None]]
    if key == "corridors":
        values = [(code, s.name, None) for code, s in rf.vocab.strategies.items() if s.kind in ("corridor", "region")]
    else:
        values = [(v.code, v.label, v.count) for v in facets.get(key, ())]
    first = chosen[0] if chosen else None
    known = {code for code, _, _ in values}
    # A chosen value that matches nothing has no facet count; it must still be offered, or the form drops it.
    missing: list[tuple[str, str, int | None]] = [(code, _label(rf, key, code), 0 if key != "corridors" else None) for code in chosen
               if code not in known]
    options = tuple(Option(code, label, count, code == first) for code, label, count in missing + values)
    return Field(key, param, options, chosen[1:])


def _chips(rf: ResolvedFilter, params: Params, keep: Params) -> list[Chip]:
    by_param = {param: key for key, param in FIELDS}
    out = []
    for i, (param, value) in enumerate(params):
        label = _label(rf, by_param[param], value) if param in by_param else value
        out.append(Chip(param, value, label, query(params[:i] + params[i + 1:] + keep), _marks(rf, param, value)))
    return out


def _marks(rf: ResolvedFilter, param: str, code: str) -> tuple[str, ...]:
    """A strategy matches what a plan states; a corridor also what merely lies in it, and may narrow nothing
    (a region holding all of Taiyuan) or have an extent no source confirms."""
    if param == "strategy":
        return ("plan",)
    if param != "corridor":
        return ()
    notes = ("covers_all",) if code in rf.vocab.covering else ("unconfirmed",) if code in rf.vocab.unconfirmed else ()
    return ("plan_or_place", *notes)
