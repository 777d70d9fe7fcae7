"""The feed as iCalendar (RFC 5545), written by the `icalendar` library.

Pure: imports no Django. Each entry is one VEVENT whose UID names the object it comes
from (`condition-42@host`), so a calendar that fetches the feed again replaces the event
instead of adding a second one; LAST-MODIFIED (and DTSTAMP, which for a calendar without
METHOD is the time the event was last revised) and SEQUENCE tell it the event changed.
Timed entries are written in UTC; a due date is an all-day entry (VALUE=DATE) that does
not block time. Text is escaped by the library (commas, semicolons, backslashes, new
lines), so what people typed reaches the calendar as text.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import icalendar

PRODUCT_ID = "-//Alliance Readiness//Calendar feed//EN"
# How often a calendar should fetch the feed again (RFC 7986, and Outlook's own name).
REFRESH = timedelta(hours=1)


@dataclass(frozen=True)
class CalendarEntry:
    """One event of a feed.

    `key` is unique within the site and never changes for the same object (e.g.
    "condition-42"); `starts` is a date for an all-day entry or an aware datetime;
    `ends` defaults to the next day (all-day) or to `starts`; `last_modified` is aware;
    `sequence` never decreases for the same key.
    """

    key: str
    summary: str
    starts: date | datetime
    last_modified: datetime
    ends: date | datetime | None = None
    sequence: int = 0
    description: str = ""
    location: str = ""
    url: str = ""


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(microsecond=0)


def _is_all_day(entry: CalendarEntry) -> bool:
    return not isinstance(entry.starts, datetime)


def _sort_key(entry: CalendarEntry) -> tuple:
    starts = entry.starts if _is_all_day(entry) else _utc(entry.starts).date()
    return (starts, entry.key)


def event(entry: CalendarEntry, *, host: str) -> icalendar.Event:
    """The VEVENT of `entry`; its UID is `key@host`."""
    vevent = icalendar.Event()
    vevent.add("uid", f"{entry.key}@{host}")
    vevent.add("dtstamp", _utc(entry.last_modified))
    vevent.add("last-modified", _utc(entry.last_modified))
    vevent.add("sequence", max(entry.sequence, 0))
    vevent.add("summary", entry.summary)
    if _is_all_day(entry):
        vevent.add("dtstart", entry.starts)
        vevent.add("dtend", entry.ends or entry.starts + timedelta(days=1))
        # A due date is a deadline, not a busy day.
        vevent.add("transp", "TRANSPARENT")
    else:
        vevent.add("dtstart", _utc(entry.starts))
        vevent.add("dtend", _utc(entry.ends or entry.starts))
    if entry.description:
        vevent.add("description", entry.description)
    if entry.location:
        vevent.add("location", entry.location)
    if entry.url:
        vevent.add("url", entry.url)
    return vevent


def feed_ics(entries: Iterable[CalendarEntry], *, name: str, host: str) -> bytes:
    """The whole feed as bytes (UTF-8, CRLF line ends, lines folded at 75 octets), its
    events in a stable order (by day, then key), so the same data gives the same bytes."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", icalendar.vDuration(REFRESH).to_ical().decode())
    for entry in sorted(entries, key=_sort_key):
        calendar.add_component(event(entry, host=host))
    return calendar.to_ical()
