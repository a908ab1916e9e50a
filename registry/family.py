"""Parent and part: the package a project is a listed part of, and the parts it lists (both directions)."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.models import Project


@dataclass(frozen=True)
class Relative:
    code: str
    name: str


@dataclass(frozen=True)
class Family:
    parent: Relative | None  # 所属项目
    parts: tuple[Relative, ...]  # 包含项目, in code order


def family(session: Session, project: Project) -> Family:
    """Archived relatives are left out, as they are from every view."""
    live = Project.archived_at.is_(None)
    parent = None
    if project.parent_code:
        found = session.execute(select(Project.code, Project.name)
                                .where(Project.code == project.parent_code, live)).first()
        parent = Relative(found.code, found.name) if found else None
    parts = session.execute(select(Project.code, Project.name)
                            .where(Project.parent_code == project.code, live).order_by(Project.code)).all()
    return Family(parent, tuple(Relative(code, name) for code, name in parts))
