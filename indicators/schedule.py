"""The refresh schedule (setting ``WIJKVEILIGHEID_REFRESH``): pure parsing and slot arithmetic.

A schedule is ``off`` (the default), ``daily@HH:MM`` (every day at that time, Amsterdam time) or
``every@N`` (every N minutes, counted from midnight; for tests and demonstrations). A *slot*
names one due run, e.g. ``daily@03:00/2026-11-30``; the instance that claims a slot in the store
first runs it, so a slot runs exactly once across every worker and instance.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

TIMEZONE = ZoneInfo("Europe/Amsterdam")


class ScheduleError(ValueError):
    """The schedule setting cannot be read; the message gives the accepted forms."""


@dataclass(frozen=True)
class Schedule:
    """``kind`` is ``off``, ``daily`` (at ``minute_of_day``) or ``every`` (``minutes``)."""

    kind: str
    minute_of_day: int = 0
    minutes: int = 0
    text: str = "off"


def parse_schedule(text: str) -> Schedule:
    """Read a schedule setting.

    >>> parse_schedule("daily@03:00").minute_of_day
    180
    >>> parse_schedule("every@15").minutes
    15
    >>> parse_schedule("").kind
    'off'
    """
    value = (text or "").strip().lower()
    if value in ("", "off", "0", "uit"):
        return Schedule("off")
    daily = re.fullmatch(r"daily@([01]?\d|2[0-3]):([0-5]\d)", value)
    if daily:
        minute = int(daily.group(1)) * 60 + int(daily.group(2))
        return Schedule("daily", minute_of_day=minute, text=value)
    every = re.fullmatch(r"every@(\d{1,4})", value)
    if every and 1 <= int(every.group(1)) <= 1440:
        return Schedule("every", minutes=int(every.group(1)), text=value)
    raise ScheduleError(
        f"WIJKVEILIGHEID_REFRESH={text!r} is niet te lezen; gebruik off, daily@HH:MM "
        f"(bijvoorbeeld daily@03:00, Amsterdamse tijd) of every@N (elke N minuten)."
    )


def slot_start(schedule: Schedule, now: datetime) -> datetime | None:
    """When the latest due slot began (aware, Amsterdam time); None when off.

    >>> from datetime import UTC
    >>> slot_start(parse_schedule("daily@03:00"), datetime(2026, 11, 30, 1, 30, tzinfo=UTC))
    ... # doctest: +ELLIPSIS
    datetime.datetime(2026, 11, 29, 3, 0, tzinfo=...)
    """
    if schedule.kind == "off":
        return None
    local = now.astimezone(TIMEZONE)
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    minute = local.hour * 60 + local.minute
    if schedule.kind == "daily":
        day = midnight if minute >= schedule.minute_of_day else midnight - timedelta(days=1)
        hour, mins = divmod(schedule.minute_of_day, 60)
        return day.replace(hour=hour, minute=mins)
    start = minute - minute % schedule.minutes
    return midnight.replace(hour=start // 60, minute=start % 60)


def due_slot(schedule: Schedule, now: datetime) -> str | None:
    """The name of the latest slot that is due at ``now`` (an aware datetime); None when off.

    >>> from datetime import UTC
    >>> due_slot(parse_schedule("daily@03:00"), datetime(2026, 11, 30, 2, 30, tzinfo=UTC))
    'daily@03:00/2026-11-30'
    >>> due_slot(parse_schedule("daily@03:00"), datetime(2026, 11, 30, 1, 30, tzinfo=UTC))
    'daily@03:00/2026-11-29'
    >>> due_slot(parse_schedule("every@15"), datetime(2026, 11, 30, 9, 44, tzinfo=TIMEZONE))
    'every@15/2026-11-30T09:30'
    """
    if schedule.kind == "off":
        return None
    local = now.astimezone(TIMEZONE)
    minute = local.hour * 60 + local.minute
    if schedule.kind == "daily":
        day = local.date() if minute >= schedule.minute_of_day else local.date() - timedelta(1)
        return f"{schedule.text}/{day.isoformat()}"
    start = minute - minute % schedule.minutes
    return f"{schedule.text}/{local.date().isoformat()}T{start // 60:02d}:{start % 60:02d}"
