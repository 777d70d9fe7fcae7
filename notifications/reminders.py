"""The daily jobs (reminders) the beat runs once a day, each app registering its own.

A job takes the day and returns how many notifications it created. Jobs must be
idempotent: they notify with a key naming the thing and the day (see `day_key`), so a
second beat, a second worker or a retry creates nothing more.
"""

from collections.abc import Callable
from datetime import date

from kit.registry import Registry

daily_jobs: Registry[Callable[[date], int]] = Registry("daily jobs")


def day_key(kind: str, thing: str, day: date) -> str:
    """The de-duplication key of a reminder: one per kind, thing and day."""
    return f"{kind}:{thing}:{day.isoformat()}"
