"""iCalendar files (RFC 5545) for dialogue events: one file a participant adds to their calendar, holding the
whole event and one entry per agenda session.

Times are kept as the local wall-clock times the organisers planned in the event's IANA zone, written with a
TZID and a VTIMEZONE, so calendars abroad show the right instant and a later change of the zone's rules
does not move a workshop already agreed at "09:00 in Nairobi".

An engine: stdlib, icalendar and zoneinfo only (no ORM, no web). The caller builds the stable UIDs and bumps
``sequence`` on every change, so calendar clients update the entry instead of adding a second one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from icalendar import Calendar, Event, Timezone

from pux.i18n import gettext as _

PRODID = "-//PUX//Peaceful Uses Exchange//EN"
CONFIRMED = "CONFIRMED"
CANCELLED = "CANCELLED"
# The VTIMEZONE describes the zone's offsets over this margin around the event, enough for every client
# without writing decades of transitions into each file.
ZONE_MARGIN = timedelta(days=366)


@dataclass(frozen=True)
class CalendarSession:
    """One agenda session; times are naive local times in the event's zone."""

    uid: str
    title: str
    starts_at: datetime
    ends_at: datetime
    speakers: str = ""
    language: str = ""


@dataclass(frozen=True)
class CalendarEvent:
    uid: str  # stable, e.g. "event-12@pux", built by the caller
    title: str
    description: str
    location: str  # "Nairobi, Kenya" or "Online"
    starts_at: datetime  # naive, local wall-clock time in time_zone
    ends_at: datetime
    time_zone: str  # IANA name, e.g. "Africa/Nairobi"
    url: str
    stamp: datetime  # aware, DTSTAMP (written in UTC)
    sequence: int = 0  # bumped on each change: the event's version
    sessions: tuple[CalendarSession, ...] = ()
    cancelled: bool = False


def event_calendar(event: CalendarEvent) -> bytes:
    """The event as an iCalendar file. Raises ValueError for an unknown time zone, an aware start or end,
    a naive stamp, or anything that ends before it starts."""
    zone = _zone(event.time_zone)
    _check_times(event)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add_component(_timezone(event, zone))
    calendar.add_component(_whole_event(event, zone))
    for session in event.sessions:
        calendar.add_component(_session(event, session, zone))
    # icalendar leaves to_ical unannotated; it returns the file's bytes.
    ical: bytes = calendar.to_ical()
    return ical


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        # ZoneInfo raises KeyError for a missing zone, ValueError for a malformed key: one error for callers.
        raise ValueError(f"unknown time zone {name!r}") from error


def _check_times(event: CalendarEvent) -> None:
    if event.stamp.tzinfo is None:
        raise ValueError("the stamp must be an aware datetime")
    spans = [(event.title, event.starts_at, event.ends_at)]
    spans += [(session.title, session.starts_at, session.ends_at) for session in event.sessions]
    for title, starts_at, ends_at in spans:
        # Aware times would be read in their own zone, not the event's: refuse rather than guess.
        if starts_at.tzinfo is not None or ends_at.tzinfo is not None:
            raise ValueError(f"{title!r}: times must be naive local times in the event's zone")
        if ends_at < starts_at:
            raise ValueError(f"{title!r} ends before it starts")


def _timezone(event: CalendarEvent, zone: ZoneInfo) -> Timezone:
    starts = [event.starts_at, *(session.starts_at for session in event.sessions)]
    ends = [event.ends_at, *(session.ends_at for session in event.sessions)]
    first: date = (min(starts) - ZONE_MARGIN).date()
    last: date = (max(ends) + ZONE_MARGIN).date()
    return Timezone.from_tzinfo(zone, tzid=event.time_zone, first_date=first, last_date=last)


def _entry(
    event: CalendarEvent, uid: str, summary: str, starts_at: datetime, ends_at: datetime, zone: ZoneInfo
) -> Event:
    """The properties every VEVENT of the file shares (RFC 5545 requires UID and DTSTAMP in each)."""
    entry = Event()
    entry.add("uid", uid)
    entry.add("dtstamp", event.stamp.astimezone(UTC))
    entry.add("sequence", event.sequence)
    entry.add("dtstart", starts_at.replace(tzinfo=zone))
    entry.add("dtend", ends_at.replace(tzinfo=zone))
    entry.add("summary", summary)
    entry.add("location", event.location)
    entry.add("url", event.url)
    # A cancelled event cancels its sessions too: clients then strike them all out.
    entry.add("status", CANCELLED if event.cancelled else CONFIRMED)
    return entry


def _whole_event(event: CalendarEvent, zone: ZoneInfo) -> Event:
    entry = _entry(event, event.uid, event.title, event.starts_at, event.ends_at, zone)
    entry.add("description", event.description)
    return entry


def _session(event: CalendarEvent, session: CalendarSession, zone: ZoneInfo) -> Event:
    entry = _entry(event, session.uid, session.title, session.starts_at, session.ends_at, zone)
    entry.add("description", _session_description(session))
    # Ties the session to the whole event for clients that group related entries.
    entry.add("related-to", event.uid, parameters={"RELTYPE": "PARENT"})
    return entry


def _session_description(session: CalendarSession) -> str:
    lines = []
    if session.speakers:
        lines.append(_("Speakers: %(names)s") % {"names": session.speakers})
    if session.language:
        lines.append(_("Language: %(language)s") % {"language": session.language})
    return "\n".join(lines)
