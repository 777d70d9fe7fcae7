"""The daily jobs (reminders) the beat runs once a day, each app registering its own.

A job takes the day and returns how many notifications it created. Jobs must be
idempotent: they notify with a key naming the thing and the day (see `day_key`), so a
second beat, a second worker or a retry creates nothing more.
"""

from collections.abc import Callable
from datetime import date

daily_jobs: list[Callable[[date], int]] = []


def register_daily(fn: Callable[[date], int]) -> Callable[[date], int]:
    """Add a daily job (once, whatever the number of calls); usable as a decorator."""
    if fn not in daily_jobs:
        daily_jobs.append(fn)
    return fn


def day_key(kind: str, thing: str, day: date) -> str:
    """The de-duplication key of a reminder: one per kind, thing and day."""
    return f"{kind}:{thing}:{day.isoformat()}"
