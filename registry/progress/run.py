"""Import one 调度 sheet: read, match, check, then write every row or none.

Checks, each reported with row, field, value and what was expected: amounts (negative, not a number, finer
than 1 万元), unmatched or ambiguous projects, a project twice in the sheet, year-to-date completion above the
project's total investment, year-to-date completion lower than an earlier month's or higher than a later
month's (months out of order), and changes to a closed month. Re-importing the same month changes nothing."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from registry import history
from registry.errors import Problem
from registry.models import ProgressClosedMonth, ProjectProgress
from registry.progress import sheet as S
from registry.progress.classify import Rule
from registry.progress.headers import LABELS
from registry.progress.match import Index, Known
from registry.users import UserRecord

FIELDS = ("plan_investment", "completed_investment", "image_progress", "issues")


@dataclass(frozen=True)
class ProgressLine:
    """One matched row as the preview shows it: which project, how it was matched, its figures and class,
    and whether importing adds, changes or leaves it."""

    row: int
    code: str
    name: str
    how: str  # code | name | alias | confirmed
    plan: Decimal | None
    completed: Decimal | None
    image: str | None
    progress_class: str
    change: str  # 新增 | 更新 | 未变


@dataclass
class ProgressReport:
    file: str
    sheet: str | None = None
    year: int | None = None
    month: int | None = None
    dry_run: bool = False
    rows_read: int = 0
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped_rows: list[tuple[int, str]] = field(default_factory=list)
    classes: dict[str, str] = field(default_factory=dict)  # code → 超前/正常/滞后/未填报
    problems: list[Problem] = field(default_factory=list)
    rule: str = ""
    lines: list[ProgressLine] = field(default_factory=list)
    # Rows matched only by a near name: row → (code, name) candidates, for a person to confirm one.
    unsure: dict[int, list[tuple[str, str]]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        when = f"{self.year}年{self.month}月" if self.year and self.month else "月份未定"
        head = "（试运行，未写入）" if self.dry_run else ""
        if self.problems:
            return (f"{self.file}（{when}）：{len(self.problems)} 个问题，未导入任何数据 "
                    f"(nothing imported){head}")
        return (f"{self.file}（{when}）：新增 {len(self.added)}，更新 {len(self.changed)}，"
                f"未变 {len(self.unchanged)}，跳过合计/分组/备注行 {len(self.skipped_rows)}{head}")


@dataclass(frozen=True)
class _Planned:
    row: S.SheetRow
    project: Known
    how: str
    values: dict[str, Any]


def import_progress(session: Session, path: Path, *, year: int | None = None, month: int | None = None,
                    dry_run: bool = False, user: UserRecord | None = None, rule: Rule | None = None,
                    file_name: str | None = None, username: str | None = None,
                    confirmed: dict[int, str] | None = None) -> ProgressReport:
    """`user` is the logged-in account (web upload); `username` names a person without one (CLI);
    `confirmed`: sheet row → project code a person chose for a row the matcher was unsure of."""
    report = ProgressReport(file=file_name or path.name, dry_run=dry_run)
    rule = rule or Rule.of_session(session)
    report.rule = rule.describe()
    try:
        sheet = S.read(path)
    except ValueError as exc:
        report.problems.append(Problem(None, "文件 (file)", report.file, str(exc), "一个 .xlsx 调度表"))
        return report
    report.sheet, report.rows_read, report.skipped_rows = sheet.sheet, len(sheet.rows), sheet.skipped
    report.problems.extend(sheet.problems)
    report.year, report.month = _period(sheet, year, month, report.problems)
    if report.problems or report.year is None or report.month is None:
        return report
    planned = _plan(session, sheet, report, confirmed or {})
    stored = _stored(session, [p.project.id for p in planned], report.year)
    closed = session.get(ProgressClosedMonth, (report.year, report.month)) is not None
    for p in planned:
        _check_order(p, stored.get(p.project.id, {}), report.month, report.problems)
        existing = stored.get(p.project.id, {}).get(report.month)
        # A row with nothing reported (the registry's own export lists 未填报 projects that way) records
        # nothing new; over stored figures it is a change like any other.
        empty = all(p.values[f] is None for f in FIELDS)
        same = (existing is None and empty) or (
            existing is not None and all(getattr(existing, f) == p.values[f] for f in FIELDS))
        if closed and not same:
            report.problems.append(Problem(p.row.row, "月份 (month)", f"{report.year}-{report.month:02d}",
                                           "该月已关账，不能再修改 (month already closed)", "未关账的月份"))
        target = report.unchanged if same else report.changed if existing is not None else report.added
        target.append(p.project.code)
        report.classes[p.project.code] = rule.classify(p.values["plan_investment"],
                                                       p.values["completed_investment"], report.month)
        report.lines.append(ProgressLine(p.row.row, p.project.code, p.project.name, p.how,
                                         p.values["plan_investment"], p.values["completed_investment"],
                                         p.values["image_progress"], report.classes[p.project.code],
                                         "未变" if same else "更新" if existing is not None else "新增"))
    if report.problems:
        report.added, report.changed, report.unchanged, report.classes = [], [], [], {}
        report.lines = []
        return report
    if not dry_run:
        _write(session, planned, stored, report, user, username)
    return report


def _period(sheet: S.Sheet, year: int | None, month: int | None,
            problems: list[Problem]) -> tuple[int | None, int | None]:
    """The options win where the sheet is silent; where both speak they must agree."""
    for label, given, stated in (("年份 (year)", year, sheet.year), ("月份 (month)", month, sheet.month)):
        if given is not None and stated is not None and given != stated:
            problems.append(Problem(None, label, given, f"与表中所写 {stated} 不一致 (differs from the sheet)",
                                    f"{stated}，或不指定"))
    y, m = year if year is not None else sheet.year, month if month is not None else sheet.month
    if y is None:
        problems.append(Problem(None, "年份 (year)", None, "表中未写年份 (no year in the title or headers)",
                                "标题或表头中的“2025年”，或指定年份（--year 2025，网页上填“年份”）"))
    elif not 2000 <= y <= 2100:
        problems.append(Problem(None, "年份 (year)", y, "年份不合理 (implausible year)", "2000–2100"))
    if m is None:
        problems.append(Problem(None, "月份 (month)", None, "表中未写月份 (no 1-M月 in the title or headers)",
                                "表头中的“1-6月累计完成投资”，或指定月份（--month 6，网页上填“月份”）"))
    elif not 1 <= m <= 12:
        problems.append(Problem(None, "月份 (month)", m, "月份应在 1–12 之间 (month out of range)", "1–12"))
    return y, m


def _plan(session: Session, sheet: S.Sheet, report: ProgressReport, confirmed: dict[int, str]) -> list[_Planned]:
    index = Index.load(session)
    problems = report.problems
    seen: dict[int, int] = {}
    out: list[_Planned] = []
    for row in sheet.rows:
        chosen = confirmed.get(row.row)
        found = index.match(chosen, None) if chosen else index.match(row.code, row.name)
        if found.project is None:
            near = "；".join(f"{k.code} {k.name}" for k in found.candidates)
            if found.candidates:
                report.unsure[row.row] = [(k.code, k.name) for k in found.candidates]
            problems.append(Problem(row.row, "项目名称 (project)", row.code or row.name, found.problem or "",
                                    f"候选：{near}" if near else "库中已有项目的编号、名称或别名"))
            continue
        known = found.project
        if known.id in seen:
            problems.append(Problem(row.row, "项目名称 (project)", row.name or row.code,
                                    f"与第 {seen[known.id]} 行是同一项目 {known.code} (project listed twice)",
                                    "每个项目一行"))
            continue
        seen[known.id] = row.row
        ceiling = known.total if known.total is not None else row.total
        if row.completed is not None and ceiling is not None and row.completed > ceiling:
            problems.append(Problem(row.row, LABELS["completed"], f"{row.completed} 亿元",
                                    "累计完成投资超过项目总投资 (completion above total investment)",
                                    f"不超过总投资 {ceiling} 亿元"))
            continue
        out.append(_Planned(row, known, "confirmed" if chosen else found.how, {"plan_investment": row.plan, "completed_investment": row.completed,
                                         "image_progress": row.image, "issues": row.issues}))
    return out


def _stored(session: Session, ids: list[int], year: int) -> dict[int, dict[int, ProjectProgress]]:
    out: dict[int, dict[int, ProjectProgress]] = {}
    if not ids:
        return out
    rows = session.scalars(select(ProjectProgress).where(ProjectProgress.project_id.in_(ids),
                                                         ProjectProgress.year == year))
    for r in rows:
        out.setdefault(r.project_id, {})[r.month] = r
    return out


def _check_order(p: _Planned, months: dict[int, ProjectProgress], month: int, problems: list[Problem]) -> None:
    """Year-to-date completion never falls: earlier months must not exceed it, later ones not fall below it."""
    done: Decimal | None = p.values["completed_investment"]
    if done is None:
        return
    for m, rec in sorted(months.items()):
        other = rec.completed_investment
        if other is None or m == month:
            continue
        if (m < month and other > done) or (m > month and other < done):
            problems.append(Problem(p.row.row, LABELS["completed"], f"{done} 亿元",
                                    f"月份顺序不符：{rec.year}年1-{m}月已报累计 {other} 亿元 (months out of order)",
                                    f"{'不少于' if m < month else '不多于'} {other} 亿元"))


def _write(session: Session, planned: list[_Planned], stored: dict[int, dict[int, ProjectProgress]],
           report: ProgressReport, user: UserRecord | None, username: str | None) -> None:
    assert report.year is not None and report.month is not None
    # One change set per import; a re-import that changes nothing leaves none behind (history.begin).
    history.begin(session, "progress-import", user=user, username=username, file_name=report.file)
    for p in planned:
        existing = stored.get(p.project.id, {}).get(report.month)
        if existing is None and all(p.values[f] is None for f in FIELDS):
            continue
        if existing is None:
            session.add(ProjectProgress(project_id=p.project.id, year=report.year, month=report.month,
                                        source_file=report.file, **p.values))
        elif any(getattr(existing, f) != p.values[f] for f in FIELDS):
            for f in FIELDS:
                setattr(existing, f, p.values[f])
            existing.source_file = report.file
    session.flush()
