"""The JSON list's one shape, shared by `kpr projects --format json` and the web's /projects.json.

An envelope (filter in words, totals of the whole filter, paging) and one page of project rows. `next` is
the offset of the following page, or null on the last page; the web adds a `Link: rel="next"` header."""
from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import IO, Any

from sqlalchemy.orm import Session

from registry.errors import BadFilterValue
from registry.queries import ResolvedFilter, Totals, describe, fetch_rows, iter_rows, totals
from registry.records import ProjectRow

MAX_LIMIT = 1000  # rows per web page: one request stays small however large the registry grows
DEFAULT_LIMIT = MAX_LIMIT
MAX_OFFSET = 10**9  # far beyond any registry; keeps OFFSET inside every database's integer range


@dataclass(frozen=True)
class Paging:
    limit: int | None  # None: every row (the CLI without --limit)
    offset: int = 0


def _whole(param: str, raw: str, low: int, high: int) -> int:
    text = raw.strip()
    if not re.fullmatch(r"[0-9]{1,10}", text) or not low <= int(text) <= high:
        raise BadFilterValue(f"参数 {param}={raw!r} 应为 {low} 到 {high} 之间的整数 "
                             f"({param}: expected a whole number from {low} to {high})", param, raw)
    return int(text)


def paging_from_params(limit: str | None, offset: str | None) -> Paging:
    """Web parameters → Paging; a missing limit is DEFAULT_LIMIT, a bad one a 400 naming the value."""
    size = DEFAULT_LIMIT if limit is None or not limit.strip() else _whole("limit", limit, 1, MAX_LIMIT)
    start = 0 if offset is None or not offset.strip() else _whole("offset", offset, 0, MAX_OFFSET)
    return Paging(size, start)


def envelope(session: Session, rf: ResolvedFilter, paging: Paging, sums: Totals | None = None) -> dict[str, Any]:
    """Everything but the rows: the same keys, in the same order, from the CLI and the web. `sums`: the
    filter's totals when the caller has them already (the web's facet index), else they are counted here."""
    sums = sums or totals(session, rf)
    end = None if paging.limit is None else paging.offset + paging.limit
    return {"filter": describe(rf), "count": sums.count, "total_investment": float(sums.investment_sum),
            "without_amount": sums.without_amount, "limit": paging.limit, "offset": paging.offset,
            "next": end if end is not None and end < sums.count else None}


def page_rows(session: Session, rf: ResolvedFilter, paging: Paging, sort: str | None,
              count: int) -> Iterable[ProjectRow]:
    """One page of rows in list order (`count` is the filter's total, from the envelope)."""
    if paging.offset >= count:
        return ()  # past the end: no query with a huge OFFSET
    if paging.limit is None and paging.offset == 0:
        return iter_rows(session, rf, sort=sort)  # every row, streamed in chunks
    return fetch_rows(session, rf, sort=sort, limit=paging.limit, offset=paging.offset)


def json_page(session: Session, rf: ResolvedFilter, paging: Paging, sort: str | None, *,
              sums: Totals | None = None,
              rows: Callable[[int], Iterable[ProjectRow]] | None = None) -> dict[str, Any]:
    """`sums` and `rows(count)` (the page's rows, given the filter's count) let the web answer from its facet
    index; without them both come from SQL."""
    data = envelope(session, rf, paging, sums)
    page = rows(data["count"]) if rows else page_rows(session, rf, paging, sort, data["count"])
    data["projects"] = [row.to_dict() for row in page]
    return data


def write_json_page(head: dict[str, Any], rows: Iterable[ProjectRow], out: IO[str]) -> int:
    """The same object as json_page, written row by row so the CLI never holds a large list at once."""
    out.write(json.dumps(head, ensure_ascii=False)[:-1] + ', "projects": [')
    count = 0
    for row in rows:
        out.write(",\n" if count else "\n")
        out.write(json.dumps(row.to_dict(), ensure_ascii=False))
        count += 1
    out.write("\n]}\n" if count else "]}\n")
    return count
