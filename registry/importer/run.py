"""import_file: read → map headers → parse rows → match existing → validate and apply in batches.

All-or-nothing by default: everything runs inside one SAVEPOINT that is rolled back when any row has a
problem (or on --dry-run), so a failed import changes nothing. Rows are streamed in batches and the session
is cleared after each, so memory stays bounded for very large files."""
from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from itertools import islice
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from registry import history
from registry.config import Settings
from registry.crs import normalize_crs
from registry.db import begin_outer_transaction
from registry.errors import FileTooLarge, Problem
from registry.importer.existing import Existing, NameIndex, load_existing, new_code
from registry.importer.headers import HeaderMap, map_headers
from registry.importer.limits import DEFAULT_LIMITS, Limits
from registry.importer.read import open_table
from registry.importer.report import ImportReport, LikelyDuplicate
from registry.importer.rows import DICT_KEYS, LOCATION_KEYS, ParsedRow, RowParser
from registry.models import DataVersion, Project
from registry.records import PlacementSpec, Placer, ProjectInput
from registry.upsert import apply_project_dicts, place_all
from registry.validate import validate_project
from registry.vocabulary import Vocabulary

BATCH = 1000
# String columns with a length limit in the schema (PostgreSQL refuses longer values).
_LENGTHS = {key: getattr(Project.__table__.c[column].type, "length", None) for key, column in (
    ("code", "code"), ("name", "name"), ("kind", "kind"), ("status", "status"),
    ("construction_type", "construction_type"), ("builder", "builder"), ("box", "box"), ("group", "group_name"))}
_FIELD_OF = {v: k for k, v in DICT_KEYS.items()}
COORD_TOLERANCE = 1e-9  # degrees


def import_file(
    session: Session,
    path: str | Path,
    *,
    dry_run: bool = False,
    sheet: str | None = None,
    skip_invalid: bool = False,
    settings: Settings | None = None,
    placer: Placer | None = None,
    limits: Limits = DEFAULT_LIMITS,
    progress: Callable[[int], None] | None = None,
    total_hint: Callable[[int | None], None] | None = None,
) -> ImportReport:
    """Import one .xlsx/.csv file; the caller commits. Raises ImportRefused for files that cannot be read."""
    report = ImportReport(file=Path(path).name, dry_run=dry_run, skip_invalid=skip_invalid)
    if history.current(session) is None:  # one change set per file, named after it
        history.begin(session, "import", file_name=report.file)
    with open_table(path, sheet, limits) as table:
        headers = map_headers(table.headers, limits.max_columns)
        report.sheet, report.encoding = table.sheet, table.encoding
        report.ignored_columns, report.informational_columns = headers.ignored, headers.informational
        if total_hint:
            total_hint(table.total_hint)
        if placer is None:
            from registry.placement import default_placer

            if settings is None:  # configuration comes in from the caller, never from the environment here
                raise TypeError("import_file needs settings= (or placer=) to place new projects")
            placer = default_placer(session, settings)
        run = _Run(session, report, headers, placer, limits, quoted=table.kind == "csv")
        begin_outer_transaction(session)  # on SQLite, or releasing the savepoint would commit a preview
        savepoint = session.begin_nested()
        try:
            for batch in _batches(table.rows, BATCH):
                run.batch(batch)
                if report.rows_read > limits.max_rows:
                    raise FileTooLarge(f"超过 {limits.max_rows} 行的上限；请分批导入 (more than {limits.max_rows} rows)")
                if progress:
                    progress(len(batch))
        except BaseException:
            savepoint.rollback()
            raise
        if dry_run or (report.problem_count and not skip_invalid):
            savepoint.rollback()
            return report
        savepoint.commit()
        report.applied = True
        if report.created or report.updated:
            session.add(DataVersion(kind="import", summary=f"{report.file}: {report.summary()}"))
            session.flush()
    return report


def _batches(rows: Iterator[tuple[int, list[Any]]], size: int) -> Iterator[list[tuple[int, list[Any]]]]:
    while batch := list(islice(rows, size)):
        yield batch


class _Run:
    def __init__(self, session: Session, report: ImportReport, headers: HeaderMap, placer: Placer,
                 limits: Limits, quoted: bool) -> None:
        self.session, self.report, self.headers, self.placer, self.limits = session, report, headers, placer, limits
        self.parser = RowParser(headers, Vocabulary.load(session), limits.max_cell_chars, quoted)
        self.names = NameIndex.load(session)
        self.seen: dict[str, int] = {}  # code → first row using it, so a file cannot list a project twice

    def problem(self, problem: Problem) -> None:
        self.report.add_problem(problem, self.limits.max_problems)

    def batch(self, batch: list[tuple[int, list[Any]]]) -> None:
        pending: list[ParsedRow] = []
        for number, cells in batch:
            self.report.rows_read += 1
            row = self.parser.parse(number, cells)
            if not row.problems and row.blank():
                self.report.blank_rows += 1
                continue
            for p in row.problems:
                self.problem(p)
            if row.problems:
                self._more_problems(row)
            elif self._identify(row):
                pending.append(row)
        existing = load_existing(self.session, [r.values["code"] for r in pending if r.values.get("code")])
        dicts: list[dict[str, Any]] = []
        numbers: list[int] = []
        keep: dict[str, PlacementSpec] = {}
        for row in pending:
            found = existing.get(row.values.get("code") or "")
            merged, placement = _merge(found, row.values) if found else (row.values, None)
            if placement is not None:
                keep[merged["code"]] = placement
            if self._lengths_ok(row.number, merged):
                dicts.append(merged)
                numbers.append(row.number)
        if dicts:
            self._apply(dicts, numbers, keep)
        self.session.expunge_all()  # flushed already; drop identity-map entries so memory stays flat

    def _more_problems(self, row: ParsedRow) -> None:
        """A row already refused still gets its other fields checked, so one report lists everything."""
        reported = {p.field for p in row.problems}
        _, problems = validate_project({**row.values, "code": row.values.get("code") or "UNSET"}, row.number)
        for p in problems:
            key = p.field.split("[")[0]
            header = self.headers.header_for(_FIELD_OF.get(key, key))
            if header not in reported:
                self.problem(Problem(p.row, header, p.value, p.message, p.expected))

    def _identify(self, row: ParsedRow) -> bool:
        """Give the row its code: as written, else the existing project with the same name and district."""
        values = row.values
        name, district = values.get("name"), values.get("district_stated")
        if not values.get("code") and name:
            match, others = self.names.match(name, district)
            values["code"] = match or new_code(name, district)
            if match is None:
                if others:
                    self.report.duplicates.append(LikelyDuplicate(row.number, name, district, values["code"],
                                                                  tuple(others[:5])))
                self.names.add(values["code"], name, district)
        code = values.get("code")
        if code is None:
            return True  # validation reports the missing name and code
        first = self.seen.setdefault(code, row.number)
        if first != row.number:
            self.problem(Problem(row.number, self.headers.header_for("code"), code,
                                 f"the same project as row {first}", "each project once per file"))
            return False
        return True

    def _lengths_ok(self, number: int, values: dict[str, Any]) -> bool:
        ok = True
        for key, limit in _LENGTHS.items():
            value = values.get(key)
            if isinstance(value, str) and limit and len(value) > limit:
                self.problem(Problem(number, self.headers.header_for(key), value[:40] + "…",
                                     f"{len(value)} characters", f"at most {limit} characters"))
                ok = False
        return ok

    def _apply(self, dicts: list[dict[str, Any]], numbers: list[int], keep: dict[str, PlacementSpec]) -> None:
        result = apply_project_dicts(self.session, dicts, placer=_KeepOrPlace(keep, self.placer), skip_invalid=True,
                                     bulk_new=True)
        for p in result.skipped:
            number = numbers[p.row - 1] if p.row else None
            key = p.field.split("[")[0]
            self.problem(Problem(number, self.headers.header_for(_FIELD_OF.get(key, key)), p.value, p.message,
                                 p.expected))
        self.report.created += result.created
        self.report.updated += result.updated
        self.report.unchanged += result.unchanged


class _KeepOrPlace:
    """The kept placement of a row that leaves its location as exported, else the placer's (many at once)."""

    def __init__(self, keep: dict[str, PlacementSpec], placer: Placer) -> None:
        self.keep, self.placer = keep, placer

    def __call__(self, item: ProjectInput) -> PlacementSpec:
        return self.keep.get(item.code) or self.placer(item)

    def place_many(self, items: Sequence[ProjectInput]) -> list[PlacementSpec]:
        todo = [item for item in items if item.code not in self.keep]
        placed = dict(zip((id(item) for item in todo), place_all(self.placer, todo), strict=True))
        return [self.keep.get(item.code) or placed[id(item)] for item in items]


def _same(key: str, new: Any, old: Any) -> bool:
    if new in (None, "", ()) or old in (None, "", ()):
        return new in (None, "", ()) and old in (None, "", ())
    if key in ("lon", "lat"):
        # Excel keeps 15 significant digits, so an xlsx round trip can change the 16th–17th: 1e-9° is ~0.1 mm.
        try:
            return abs(float(new) - float(old)) <= COORD_TOLERANCE
        except (TypeError, ValueError):
            return False
    if key == "crs":
        try:
            return normalize_crs(str(new)) == normalize_crs(str(old))
        except ValueError:
            return False
    return bool(new == old)


def _merge(found: Existing, values: dict[str, Any]) -> tuple[dict[str, Any], PlacementSpec | None]:
    """The existing project with the file's columns laid over it. When every location column reads as the
    export wrote it, the placement is kept exactly (re-geocoding could move it); else the placer decides."""
    moved = any(key in values and not _same(key, values[key], found.exported_location[key]) for key in LOCATION_KEYS)
    merged = dict(found.base)
    for key, value in values.items():
        if key in LOCATION_KEYS and not moved:
            continue
        merged[key] = value
    return merged, (None if moved else found.placement)
