"""Editing one project the way a person does in the browser: create, update with optimistic locking, archive
and restore. Every call opens its own change set, so history names the user, the time and the comment.
The caller owns the transaction (the web request commits)."""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from registry import history
from registry.errors import EditConflict, Forbidden, InvalidForm, NotFound, Problem
from registry.fields import FIELDS, LIST_INPUTS, STORED, Field
from registry.models import Project, utcnow
from registry.money import parse_amount_text
from registry.problemwords import in_chinese
from registry.records import Placer
from registry.upsert import _apply, check_references, new_project, stated_placement
from registry.users import UserRecord
from registry.validate import normalize_code, validate_project

# The form's fields are the table's (registry/fields.py `form`), in its order, under their input names (the keys
# of the project JSON, issue 11), plus the amount's unit beside the amount.
FORM: tuple[Field, ...] = tuple(f for f in FIELDS if f.form)
FORM_FIELDS: tuple[str, ...] = tuple(name for f in FORM if f.input
                                     for name in ((f.input, "investment_unit") if f.form == "amount" else (f.input,)))
LIST_FIELDS = tuple(key for key in FORM_FIELDS if key in LIST_INPUTS)
UNITS = ("亿元", "万元")
# Facts the form does not show (they come from the plans): an edit leaves them as they are. Every stored field
# of the table (registry/fields.py) whose input is not a form field, so a new field is kept without a change here.
NOT_IN_FORM = frozenset(column for name, column in STORED.items() if name not in FORM_FIELDS)


# The form's own Chinese words, in English (registry/problemwords.py puts the validator's English in Chinese).
WORDS_EN = {"未知单位": "unknown unit", "亿元 或 万元": "亿元 or 万元", "编号已被使用": "code already in use",
            "一个新的编号": "a new code", "如 12.5 或 1,200（单位另选）": "e.g. 12.5 or 1,200 (the unit is chosen beside it)"}
# The 填报进度 form's words (registry/progress/editing.py writes them in Chinese only).
WORDS_EN |= {"不是日期": "not a date", "日期，如 2025-03-15": "a date such as 2025-03-15",
             "竣工早于开工": "ends before it starts", "年份不合理": "implausible year",
             "累计完成投资超过项目总投资": "completion above the total investment",
             "该月已关账，不能再修改": "the month is closed and cannot change",
             "未关账的月份保持原值": "a closed month keeps its values"}
PATTERNS_EN: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"无法确定金额：(.*)"), r"cannot read the amount: \1"),
    (re.compile(r"不小于 0 的金额，如 1\.5（单位：(\S+)）"), r"an amount ≥ 0 such as 1.5 (in \1)"),
    (re.compile(r"不早于 (\S+)"), r"not before \1"),
    (re.compile(r"不超过总投资 (\S+) 亿元"), r"at most the total investment, \1 亿元"),
    (re.compile(r"月份顺序不符：1-(\d+)月已累计 (\S+) 亿元"),
     r"months out of order: January to month \1 already add up to \2 亿元"),
    (re.compile(r"不少于 (\S+) 亿元"), r"at least \1 亿元"),
)


def _worded(text: str, lang: str) -> str:
    """A problem's message or expectation in the page's language; one not listed stays as written."""
    if lang != "en":
        return in_chinese(text)
    for pattern, english in PATTERNS_EN:
        if pattern.fullmatch(text):
            return pattern.sub(english, text)
    return WORDS_EN.get(text, text)


def form_problems(exc: InvalidForm, lang: str = "zh") -> dict[str, list[str]]:
    """Each field's problems in the page's language (the validator writes English, the form some Chinese)."""
    out: dict[str, list[str]] = {}
    for p in exc.problems:
        message, expected = _worded(p.message, lang), _worded(p.expected, lang)
        if lang == "en":
            shown = "" if p.value in (None, "") else f"“{p.value}”: "
            text = f"{shown}{message} (expected {expected})" if expected else f"{shown}{message}"
        else:
            shown = "" if p.value in (None, "") else f"“{p.value}”："
            text = f"{shown}{message}（应为 {expected}）" if expected else f"{shown}{message}"
        out.setdefault(p.field.split("[")[0], []).append(text)
    return out


@dataclass(frozen=True)
class Actor:
    user: UserRecord
    comment: str | None = None


def _amount(form: Mapping[str, Any], problems: list[Problem]) -> str | None:
    """The amount as entered with its unit, parsed by the importer's strict rule and kept exactly in 亿元."""
    text = str(form.get("total_investment") or "").strip()
    unit = str(form.get("investment_unit") or "亿元")
    if unit not in UNITS:
        problems.append(Problem(None, "investment_unit", unit, "未知单位", "亿元 或 万元"))
        return None
    if not text:
        return None
    try:
        parsed = parse_amount_text(text, unit)
    except ValueError as exc:
        problems.append(Problem(None, "total_investment", text, f"无法确定金额：{exc}", "如 12.5 或 1,200（单位另选）"))
        return None
    return format(parsed.yi.normalize(), "f")


def _list(value: Any) -> list[str]:
    values = value if isinstance(value, (list, tuple)) else [value]
    out: list[str] = []
    for v in values:
        text = str(v or "")
        for sep in ("\n", "；", ";", "、", "，", ","):
            text = text.replace(sep, "\n")
        out.extend(part.strip() for part in text.split("\n") if part.strip())
    return list(dict.fromkeys(out))


def raw_from_form(form: Mapping[str, Any]) -> tuple[dict[str, Any], list[Problem]]:
    """Form values (strings, lists for multi-selects) → the raw project dict every importer validates."""
    problems: list[Problem] = []
    raw: dict[str, Any] = {}
    for key in FORM_FIELDS:
        if key in ("total_investment", "investment_unit"):
            continue
        value = form.get(key)
        raw[key] = _list(value) if key in LIST_FIELDS else (str(value).strip() if value is not None else None)
    raw["total_investment"] = _amount(form, problems)
    return raw, problems


def _validated(session: Session, raw: dict[str, Any], problems: list[Problem]) -> Any:
    item, found = validate_project(raw)
    problems = [*problems, *found, *check_references(session, [(None, raw)])]
    if problems or item is None:
        raise InvalidForm(problems)
    return item


def get_project(session: Session, code: str, *, include_archived: bool = False) -> Project:
    """By code as written, else as every import writes it (NFKC, upper case: ab-1 finds AB-1)."""
    project = session.scalar(select(Project).where(Project.code == code))
    if project is None:
        try:
            normal = normalize_code(code)
        except ValueError:
            normal = code
        if normal != code:
            project = session.scalar(select(Project).where(Project.code == normal))
    if project is None or (project.archived_at is not None and not include_archived):
        raise NotFound(f"没有编号为 {code} 的项目 (no project with code {code!r})")
    return project


def flush_or_conflict(session: Session, project: Project) -> None:
    try:
        session.flush()
    except StaleDataError:
        session.rollback()
        raise EditConflict(get_project(session, project.code, include_archived=True)) from None


def create_project(session: Session, form: Mapping[str, Any], actor: Actor, placer: Placer | None = None) -> Project:
    raw, problems = raw_from_form(form)
    item = _validated(session, raw, problems)
    if session.scalar(select(Project.id).where(Project.code == item.code)) is not None:
        raise InvalidForm([Problem(None, "code", item.code, "编号已被使用", "一个新的编号")])
    history.begin(session, "create", user=actor.user, comment=actor.comment)
    project = new_project(item.code)
    session.add(project)
    _apply(project, item, (placer or stated_placement)(item))
    session.flush()
    return project


def update_project(session: Session, code: str, form: Mapping[str, Any], expected_version: int,
                   actor: Actor) -> Project:
    """Save the form over version `expected_version`; a newer version is never overwritten (EditConflict)."""
    project = get_project(session, code, include_archived=actor.user.can("admin"))
    if project.version != expected_version:
        raise EditConflict(project)
    raw, problems = raw_from_form({**form, "code": project.code})
    item = _validated(session, raw, problems)
    history.begin(session, "edit", user=actor.user, comment=actor.comment)
    with session.no_autoflush:  # one flush, below, where a concurrent save shows as a conflict
        _apply(project, item, None, keep=NOT_IN_FORM, sources=False)
    project.updated_at = utcnow()  # always an UPDATE, so the version check runs even for link-only edits
    flush_or_conflict(session, project)
    return project


def set_archived(session: Session, code: str, archived: bool, expected_version: int, actor: Actor) -> Project:
    if not archived and not actor.user.can("admin"):
        raise Forbidden("只有管理员可以恢复已归档的项目 (only an admin can restore)")
    project = get_project(session, code, include_archived=True)
    if project.archived_at is not None and not actor.user.can("admin"):
        raise NotFound(f"没有编号为 {code} 的项目 (no project with code {code!r})")
    if project.version != expected_version:
        raise EditConflict(project)
    if (project.archived_at is not None) == archived:
        return project
    history.begin(session, "archive" if archived else "restore", user=actor.user, comment=actor.comment)
    project.archived_at = utcnow() if archived else None
    project.updated_at = utcnow()
    flush_or_conflict(session, project)
    return project
