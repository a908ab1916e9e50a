"""Typed SQLAlchemy models. Geometry is stored as GeoJSON text in WGS-84 so both SQLite and PostgreSQL
answer every query with plain SQL; district/zone codes are computed in Python at write time."""
from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from registry.money import YiYuan

# Stable constraint names make migrations reproducible and batch mode on SQLite possible.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """The declarative base lives with the models, so the models import nothing from registry.db."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)

# Location precision after IATI/AidData (see shared/docs/domain.md).
PRECISIONS: dict[int, str] = {
    1: "精确位置 exact site",
    2: "地点 named site / near (≤25 km)",
    3: "区县 district",
    4: "开发区范围 development zone extent",
    5: "全市 city-wide",
    6: "太原市外 outside Taiyuan / partner region",
    8: "未知 unknown",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class AdminUnit(Base):
    __tablename__ = "admin_units"

    adcode: Mapped[str] = mapped_column(String(6), primary_key=True)
    name: Mapped[str] = mapped_column(String(64), index=True)
    level: Mapped[str] = mapped_column(String(16))  # province | city | county
    parent_adcode: Mapped[str | None] = mapped_column(String(6))
    group: Mapped[str | None] = mapped_column(String(32))  # taiyuan | neighbour | jjj
    geometry: Mapped[str | None] = mapped_column(Text)  # GeoJSON, WGS-84


class Zone(Base):
    __tablename__ = "zones"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(128), index=True)
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    kind: Mapped[str | None] = mapped_column(String(32))
    level: Mapped[str | None] = mapped_column(String(32))
    parent_code: Mapped[str | None] = mapped_column(ForeignKey("zones.code"))
    industries: Mapped[list[str]] = mapped_column(JSON, default=list)
    stated_area_km2: Mapped[float | None] = mapped_column(Float)
    districts: Mapped[list[str]] = mapped_column(JSON, default=list)
    geometry: Mapped[str | None] = mapped_column(Text)
    geometry_status: Mapped[str] = mapped_column(String(16), default="schematic")
    sources: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)

    __table_args__ = (
        CheckConstraint("geometry_status IN ('official', 'schematic', 'none')", name="geometry_status"),
    )


class Strategy(Base):
    """A regional strategy, strategic region or corridor; corridors are also places (an axis with a width)."""

    __tablename__ = "strategies"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(128), index=True)
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    kind: Mapped[str] = mapped_column(String(16))  # strategy | region | corridor
    parent_code: Mapped[str | None] = mapped_column(ForeignKey("strategies.code"))
    member_units: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    axis: Mapped[str | None] = mapped_column(Text)  # GeoJSON line, WGS-84
    width_km: Mapped[float | None] = mapped_column(Float)
    geometry: Mapped[str | None] = mapped_column(Text)
    sources: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)


class IndustryChain(Base):
    """The chain tree: cluster → chain → segment, tier 千亿级 / 百亿级 / 未来."""

    __tablename__ = "industry_chains"

    code: Mapped[str] = mapped_column(String(48), primary_key=True)
    name: Mapped[str] = mapped_column(String(128), index=True)
    level: Mapped[str] = mapped_column(String(16))
    tier: Mapped[str | None] = mapped_column(String(16))
    parent_code: Mapped[str | None] = mapped_column(ForeignKey("industry_chains.code"))
    sources: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)

    __table_args__ = (CheckConstraint("level IN ('cluster', 'chain', 'segment')", name="level"),)


class Project(Base):
    __tablename__ = "projects"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(48), unique=True)
    name: Mapped[str] = mapped_column(String(256), index=True)
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    kind: Mapped[str | None] = mapped_column(String(32), index=True)
    status: Mapped[str] = mapped_column(String(16), default="unknown", index=True)
    # The stage word as the source wrote it (续建, 拟选址 …); `status` is its mapping or "unknown".
    status_text: Mapped[str | None] = mapped_column(String(64))
    construction_type: Mapped[str | None] = mapped_column(String(16))
    # Exact: stored as an integer count of 万元 (1 亿元 = 10 000 万元), see registry/money.py.
    total_investment: Mapped[Decimal | None] = mapped_column(YiYuan, index=True)
    investment_text: Mapped[str | None] = mapped_column(Text)
    capacity_text: Mapped[str | None] = mapped_column(Text)
    capacity_value: Mapped[float | None] = mapped_column(Float)
    capacity_unit: Mapped[str | None] = mapped_column(String(32))
    start_year: Mapped[int | None] = mapped_column(Integer)
    end_year: Mapped[int | None] = mapped_column(Integer)
    builder: Mapped[str | None] = mapped_column(String(256))
    partners: Mapped[list[str]] = mapped_column(JSON, default=list)
    description: Mapped[str | None] = mapped_column(Text)
    place_text: Mapped[str | None] = mapped_column(Text)
    # Parts and ranges (migration 0009): the package this project is a listed part of, by code; an amount
    # stated only as a range; the partners' home regions as stated; the plan period of the listing.
    parent_code: Mapped[str | None] = mapped_column(String(48), index=True)
    investment_low: Mapped[Decimal | None] = mapped_column(YiYuan)
    investment_high: Mapped[Decimal | None] = mapped_column(YiYuan)
    partner_regions: Mapped[list[str] | None] = mapped_column(JSON, default=list)
    plan_period: Mapped[str | None] = mapped_column(String(16))
    # What the source text itself states about the site; the geocoder weighs it on every re-placement.
    stated_district_code: Mapped[str | None] = mapped_column(String(6))
    stated_zone_code: Mapped[str | None] = mapped_column(String(32))
    outside_taiyuan: Mapped[bool | None] = mapped_column(Boolean)
    specificity: Mapped[str | None] = mapped_column(String(32))
    box: Mapped[str | None] = mapped_column(String(128))
    group_name: Mapped[str | None] = mapped_column(String(128))
    # The primary placement, copied from the primary location at write time so lists filter on plain columns.
    district_code: Mapped[str | None] = mapped_column(String(6), index=True)
    zone_code: Mapped[str | None] = mapped_column(String(32), index=True)
    lon: Mapped[float | None] = mapped_column(Float)
    lat: Mapped[float | None] = mapped_column(Float)
    precision: Mapped[int] = mapped_column(Integer, default=8, index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    # Soft delete: archived projects leave every list, map, total and export; admins reach them by code.
    archived_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)

    chains: Mapped[list[ProjectChain]] = relationship(
        back_populates="project", cascade="all, delete-orphan", order_by="ProjectChain.chain_code"
    )
    strategies: Mapped[list[ProjectStrategy]] = relationship(
        back_populates="project", cascade="all, delete-orphan", order_by="ProjectStrategy.strategy_code"
    )
    locations: Mapped[list[Location]] = relationship(
        back_populates="project", cascade="all, delete-orphan", order_by="Location.id"
    )
    sources: Mapped[list[Source]] = relationship(
        back_populates="project", cascade="all, delete-orphan", order_by="Source.id"
    )
    # Monthly 调度 figures, oldest month first (issue 17).
    progress: Mapped[list[ProjectProgress]] = relationship(
        back_populates="project", cascade="all, delete-orphan", passive_deletes=True,
        order_by="(ProjectProgress.year, ProjectProgress.month)",
    )
    # Planned and actual 开工 / 竣工 dates; None until someone states them.
    milestones: Mapped[ProjectMilestones | None] = relationship(
        back_populates="project", cascade="all, delete-orphan", passive_deletes=True, uselist=False,
    )

    # Optimistic locking: an UPDATE carrying a stale version raises StaleDataError.
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 — SQLAlchemy reads this class attribute
    __table_args__ = (
        CheckConstraint(
            "status IN ('谋划', '前期', '在建', '竣工', '投产', 'unknown')", name="status"
        ),
        CheckConstraint("total_investment IS NULL OR total_investment >= 0", name="investment_nonneg"),
    )


class ProjectChain(Base):
    __tablename__ = "project_chains"

    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True)
    chain_code: Mapped[str] = mapped_column(ForeignKey("industry_chains.code"), primary_key=True)
    segment: Mapped[str | None] = mapped_column(String(16))  # 上游 / 中游 / 下游 where stated

    project: Mapped[Project] = relationship(back_populates="chains")
    chain: Mapped[IndustryChain] = relationship()

    __table_args__ = (Index("ix_project_chains_chain", "chain_code", "project_id"),)


class ProjectStrategy(Base):
    """A project's tie to a strategy or corridor: stated by a plan ('plan') or found from its place ('place')."""

    __tablename__ = "project_strategies"

    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True)
    strategy_code: Mapped[str] = mapped_column(ForeignKey("strategies.code"), primary_key=True)
    basis: Mapped[str] = mapped_column(String(8), primary_key=True, default="plan")

    project: Mapped[Project] = relationship(back_populates="strategies")
    strategy: Mapped[Strategy] = relationship()

    __table_args__ = (
        CheckConstraint("basis IN ('plan', 'place')", name="basis"),
        Index("ix_project_strategies_strategy", "strategy_code", "project_id"),
        # Covers the strategy facet and filter, which read only basis = 'plan' links (benchmarks/RESULTS.md).
        Index("ix_project_strategies_basis", "basis", "strategy_code", "project_id"),
    )


class Location(Base):
    __tablename__ = "locations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    is_primary: Mapped[bool] = mapped_column(Boolean, default=True)
    geometry: Mapped[str | None] = mapped_column(Text)  # GeoJSON in WGS-84; null when only text is known
    lon: Mapped[float | None] = mapped_column(Float)
    lat: Mapped[float | None] = mapped_column(Float)
    input_crs: Mapped[str | None] = mapped_column(String(8))  # wgs84 | gcj02 | bd09
    place_text: Mapped[str | None] = mapped_column(Text)
    district_code: Mapped[str | None] = mapped_column(String(6))
    zone_code: Mapped[str | None] = mapped_column(String(32))
    precision: Mapped[int] = mapped_column(Integer, default=8)
    method: Mapped[str] = mapped_column(String(32), default="none")
    evidence: Mapped[str | None] = mapped_column(Text)
    needs_review: Mapped[bool] = mapped_column(Boolean, default=False)

    project: Mapped[Project] = relationship(back_populates="locations")
    districts: Mapped[list[LocationDistrict]] = relationship(
        back_populates="location", cascade="all, delete-orphan", order_by="LocationDistrict.adcode"
    )

    __table_args__ = (CheckConstraint("precision IN (1, 2, 3, 4, 5, 6, 8)", name="precision"),)


class LocationDistrict(Base):
    """Every district a location touches; a line or polygon has a share in each."""

    __tablename__ = "location_districts"

    location_id: Mapped[int] = mapped_column(ForeignKey("locations.id", ondelete="CASCADE"), primary_key=True)
    adcode: Mapped[str] = mapped_column(String(6), primary_key=True)
    share: Mapped[float | None] = mapped_column(Float)

    location: Mapped[Location] = relationship(back_populates="districts")

    __table_args__ = (Index("ix_location_districts_adcode", "adcode", "location_id"),)


class Source(Base):
    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    document: Mapped[str] = mapped_column(String(128))
    line: Mapped[int | None] = mapped_column(Integer)
    box: Mapped[str | None] = mapped_column(String(128))
    excerpt: Mapped[str | None] = mapped_column(Text)

    project: Mapped[Project] = relationship(back_populates="sources")


class DataVersion(Base):
    """One row per change batch (seed, import, geocode): exports cite the data version they were made from."""

    __tablename__ = "data_versions"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    summary: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class DataStamp(Base):
    """A counter bumped when any registry write commits (see registry/stamp.py), with a random epoch that
    migration 0005 sets: caches compare (epoch, value), which never repeats even after a downgrade resets it."""

    __tablename__ = "data_stamp"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), nullable=False, default=0)
    epoch: Mapped[str] = mapped_column(String(32), nullable=False)


class DataStampLog(Base):
    """Which projects each stamp bump touched (registry/stamp.py), so an in-memory index can refresh just those
    rows instead of rebuilding. `projects` is a JSON list of project ids, or NULL when the commit changed
    something else (reference data, bulk DML): then every reader rebuilds. Old rows are pruned."""

    __tablename__ = "data_stamp_log"

    counter: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True,
                                         autoincrement=False)
    projects: Mapped[str | None] = mapped_column(Text)



class User(Base):
    """A named account. Passwords are stored only as argon2 hashes (registry/users.py)."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(16), default="viewer")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Bumped on disable and password change so existing sessions stop working.
    session_token: Mapped[str] = mapped_column(String(64))

    __table_args__ = (CheckConstraint("role IN ('viewer', 'editor', 'admin')", name="role"),)


class ChangeSet(Base):
    """One user action or batch (a form save, an import file, a seed run, a revert): the unit of history."""

    __tablename__ = "change_sets"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # edit | create | place | archive | import | seed | revert | system
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    username: Mapped[str | None] = mapped_column(String(64))  # kept as written, even if the user is renamed
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    comment: Mapped[str | None] = mapped_column(Text)
    file_name: Mapped[str | None] = mapped_column(String(256))
    reverts_id: Mapped[int | None] = mapped_column(ForeignKey("change_sets.id"))

    changes: Mapped[list[Change]] = relationship(back_populates="change_set", order_by="Change.id",
                                                 foreign_keys="Change.change_set_id")


class Change(Base):
    """One field of one project, before and after (values as JSON; see registry/history.py)."""

    __tablename__ = "changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    change_set_id: Mapped[int] = mapped_column(ForeignKey("change_sets.id"), index=True)
    # A project is never hard-deleted from the web or CLI; should a script delete one, its history goes with it.
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    field: Mapped[str] = mapped_column(String(32))
    old: Mapped[Any] = mapped_column(JSON, nullable=True)
    new: Mapped[Any] = mapped_column(JSON, nullable=True)
    reverted_by_id: Mapped[int | None] = mapped_column(ForeignKey("change_sets.id"))

    change_set: Mapped[ChangeSet] = relationship(back_populates="changes", foreign_keys=[change_set_id])
    project: Mapped[Project] = relationship()

    __table_args__ = (Index("ix_changes_project", "project_id", "id"),)


# -- progress over time (issue 17) -------------------------------------------------------------------
class ProjectProgress(Base):
    """One project's figures for one month of one year, as the monthly 调度 sheet reports them: the year's
    planned investment and the year-to-date completed investment (exact 万元, see registry/money.py)."""

    __tablename__ = "project_progress"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    year: Mapped[int] = mapped_column(Integer)
    month: Mapped[int] = mapped_column(Integer)
    plan_investment: Mapped[Decimal | None] = mapped_column(YiYuan)  # 年度计划投资
    completed_investment: Mapped[Decimal | None] = mapped_column(YiYuan)  # 1–month 累计完成投资
    image_progress: Mapped[str | None] = mapped_column(Text)  # 形象进度
    issues: Mapped[str | None] = mapped_column(Text)  # 存在问题
    source_file: Mapped[str | None] = mapped_column(String(256))

    project: Mapped[Project] = relationship(back_populates="progress")

    __table_args__ = (
        UniqueConstraint("project_id", "year", "month"),  # uq_project_progress_project_id
        CheckConstraint("month BETWEEN 1 AND 12", name="month"),
        CheckConstraint("plan_investment IS NULL OR plan_investment >= 0", name="plan_nonneg"),
        CheckConstraint("completed_investment IS NULL OR completed_investment >= 0", name="completed_nonneg"),
    )


class ProgressClosedMonth(Base):
    """A month whose 调度 figures are final: imports that would change them are refused."""

    __tablename__ = "progress_closed_months"

    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    month: Mapped[int] = mapped_column(Integer, primary_key=True)
    closed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    closed_by: Mapped[str | None] = mapped_column(String(64))


class ProjectMilestones(Base):
    """Planned and actual 开工 / 竣工 dates of a project (empty until stated)."""

    __tablename__ = "project_milestones"

    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True)
    planned_start: Mapped[date | None] = mapped_column(Date)
    actual_start: Mapped[date | None] = mapped_column(Date)
    planned_end: Mapped[date | None] = mapped_column(Date)
    actual_end: Mapped[date | None] = mapped_column(Date)

    project: Mapped[Project] = relationship(back_populates="milestones")
