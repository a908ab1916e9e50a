"""Settings, read from the environment in one place (never at import time)."""
from __future__ import annotations

import os
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from registry.errors import ConfigError

REPO_ROOT = Path(__file__).resolve().parent.parent


def _default_instance_dir() -> Path:
    return REPO_ROOT / "instance"


def _flag(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


PASSWORD_PROFILES = ("standard", "cheapest")


@dataclass(frozen=True)
class Settings:
    """Every setting the product reads. Names are the environment variables, documented in the README."""

    database_url: str
    instance_dir: Path
    geodata_dir: Path
    seeds_dir: Path
    # Tiles are off by default: intranet offices have no tile server. A URL template turns them on.
    tiles_url: str | None = None
    tiles_crs: str = "wgs84"
    tiles_attribution: str = ""
    # Reading is open on an intranet by default; every write always needs an editor or admin login.
    read_requires_login: bool = False
    secret_key: str | None = None  # None: a random key kept in instance/secret_key
    trusted_hosts: tuple[str, ...] = ()  # empty: any Host header
    login_rate_limit: str = "5 per minute"
    import_job_rows: int = 2000  # uploads with more rows run as a background job with progress
    # 超前 above, 滞后 below (percent of the year-to-date plan); the Nanning 市领导联系项目 rule by default.
    progress_ahead: Decimal = Decimal(105)
    progress_behind: Decimal = Decimal(95)
    # argon2 parameters for new password hashes: the library's recommended ones, or its cheapest for test runs
    # (a login with a hash made otherwise rehashes it with these).
    password_profile: str = "standard"

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if env is None else env)
        instance_dir = Path(env.get("KPR_INSTANCE_DIR") or _default_instance_dir())
        default_db = f"sqlite:///{instance_dir / 'kpr.sqlite3'}"
        return cls(
            database_url=env.get("KPR_DATABASE_URL") or default_db,
            instance_dir=instance_dir,
            geodata_dir=Path(env.get("KPR_GEODATA_DIR") or REPO_ROOT / "geodata"),
            seeds_dir=Path(env.get("KPR_SEEDS_DIR") or REPO_ROOT / "seeds"),
            tiles_url=env.get("KPR_TILES_URL") or None,
            tiles_crs=(env.get("KPR_TILES_CRS") or "wgs84").lower(),
            tiles_attribution=env.get("KPR_TILES_ATTRIBUTION") or "",
            read_requires_login=_flag(env.get("KPR_READ_REQUIRES_LOGIN")),
            secret_key=env.get("KPR_SECRET_KEY") or None,
            trusted_hosts=tuple(h.strip() for h in (env.get("KPR_TRUSTED_HOSTS") or "").split(",") if h.strip()),
            login_rate_limit=env.get("KPR_LOGIN_RATE_LIMIT") or "5 per minute",
            import_job_rows=int(env.get("KPR_IMPORT_JOB_ROWS") or 2000),
            progress_ahead=_percent(env, "KPR_PROGRESS_AHEAD", "105"),
            progress_behind=_percent(env, "KPR_PROGRESS_BEHIND", "95"),
            password_profile=(env.get("KPR_PASSWORD_PROFILE") or "standard").strip().lower(),
        )._checked()

    def _checked(self) -> Settings:
        if self.progress_behind > self.progress_ahead:
            raise ConfigError(f"KPR_PROGRESS_BEHIND={self.progress_behind} 大于 KPR_PROGRESS_AHEAD="
                             f"{self.progress_ahead} (expected behind ≤ ahead)")
        if self.password_profile not in PASSWORD_PROFILES:
            raise ConfigError(f"KPR_PASSWORD_PROFILE={self.password_profile!r} 无效 (expected one of "
                              f"{', '.join(PASSWORD_PROFILES)})")
        return self


def _percent(env: dict[str, str], name: str, default: str) -> Decimal:
    text = (env.get(name) or default).strip().removesuffix("%")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ConfigError(f"{name}={env.get(name)!r}：应为百分数，如 105 (expected a percent such as 105)") from None
    if not value.is_finite() or value < 0:
        raise ConfigError(f"{name}={env.get(name)!r}：应为非负百分数 (expected a non-negative percent)")
    return value


# The variables above, for the README test and `kpr --help`.
ENV_VARS: dict[str, str] = {
    "KPR_DATABASE_URL": "database URL (default: sqlite file instance/kpr.sqlite3); postgresql+psycopg://… works",
    "KPR_INSTANCE_DIR": "folder for the SQLite file and local overrides (default: instance/)",
    "KPR_GEODATA_DIR": "folder of boundary, zone and corridor layers (default: geodata/)",
    "KPR_SEEDS_DIR": "folder of curated seed files (default: seeds/)",
    "KPR_TILES_URL": "optional tile URL template; none by default (district polygons are the basemap)",
    "KPR_TILES_CRS": "wgs84 (Tianditu, OSM) or gcj02 (Amap, Tencent): overlays are drawn in this system",
    "KPR_TILES_ATTRIBUTION": "attribution text for the tiles",
    "KPR_READ_REQUIRES_LOGIN": "1 to require a login for every page (default: reading is open, writing needs an editor)",
    "KPR_SECRET_KEY": "key that signs session cookies (default: a random key kept in instance/secret_key)",
    "KPR_TRUSTED_HOSTS": "comma-separated host names the server answers to (default: any)",
    "KPR_LOGIN_RATE_LIMIT": "failed logins allowed per client address (default: 5 per minute)",
    "KPR_IMPORT_JOB_ROWS": "uploads with more rows than this run as a background job with progress (default 2000)",
    "KPR_PROGRESS_AHEAD": "超前 when year-to-date completed exceeds this percent of the year-to-date plan (default 105)",
    "KPR_PASSWORD_PROFILE": "argon2 cost of new password hashes: standard (default) or cheapest (test runs only)",
    "KPR_PROGRESS_BEHIND": "滞后 when year-to-date completed is below this percent of the year-to-date plan (default 95)",
}
