"""Beijing time, the clock people read: stored times are UTC; pages, files and an as-of day speak Beijing time.
Standard library only, so any module may use it without importing a service."""
from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone

# China has had no daylight saving since 1991: a fixed +08:00 needs no tz database.
BEIJING = timezone(timedelta(hours=8), "北京时间")


def beijing(moment: datetime) -> datetime:
    """Any stored time → Beijing time; SQLite hands back naive datetimes, which were written in UTC."""
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(BEIJING)


def stamp_text(moment: datetime) -> str:
    """2026-12-01 17:05（北京时间）, as pages, prints and spreadsheets show a moment."""
    return f"{beijing(moment):%Y-%m-%d %H:%M}（北京时间）"


def today() -> date:
    return datetime.now(BEIJING).date()


def this_year() -> int:
    return today().year


def day_end(day: date) -> datetime:
    """The first instant after `day` ends in Beijing, in UTC (the history's clock)."""
    return datetime.combine(day + timedelta(days=1), time(0), BEIJING).astimezone(UTC)
