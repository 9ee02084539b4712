"""iCalendar files for dialogue events, read back with icalendar: times land on the right UTC instant."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from icalendar import Calendar, Component

from pux.dialogues.calendar import PRODID, CalendarEvent, CalendarSession, event_calendar

STAMP = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)

NAIROBI = CalendarEvent(
    uid="event-12@pux",
    title="Regional workshop on nuclear techniques in agriculture",
    description="Three days on soil and water management, with field visits.",
    location="Nairobi, Kenya",
    starts_at=datetime(2026, 7, 1, 9, 0),
    ends_at=datetime(2026, 7, 3, 17, 0),
    time_zone="Africa/Nairobi",
    url="https://pux.example/dialogues/events/12",
    stamp=STAMP,
    sequence=3,
    sessions=(
        CalendarSession(
            uid="event-12-session-1@pux",
            title="Opening",
            starts_at=datetime(2026, 7, 1, 9, 0),
            ends_at=datetime(2026, 7, 1, 10, 30),
            speakers="A. Mwangi, L. Chen",
            language="English",
        ),
        CalendarSession(
            uid="event-12-session-2@pux",
            title="Isotope hydrology",
            starts_at=datetime(2026, 7, 2, 14, 0),
            ends_at=datetime(2026, 7, 2, 15, 0),
        ),
    ),
)


def parse(event: CalendarEvent) -> Calendar:
    return Calendar.from_ical(event_calendar(event))


def vevents(event: CalendarEvent) -> list[Component]:
    return [component for component in parse(event).walk("VEVENT")]


def by_uid(event: CalendarEvent) -> dict[str, Component]:
    return {str(component["UID"]): component for component in vevents(event)}


def test_calendar_header() -> None:
    calendar = parse(NAIROBI)
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["PRODID"]) == PRODID
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert str(calendar["CALSCALE"]) == "GREGORIAN"


def test_one_vevent_for_the_event_and_one_per_session_each_with_uid_and_stamp() -> None:
    components = vevents(NAIROBI)
    assert [str(c["UID"]) for c in components] == [
        "event-12@pux",
        "event-12-session-1@pux",
        "event-12-session-2@pux",
    ]
    for component in components:
        assert component.decoded("DTSTAMP") == STAMP
        assert component.decoded("SEQUENCE") == 3


def test_the_whole_event_carries_its_properties() -> None:
    whole = by_uid(NAIROBI)["event-12@pux"]
    assert str(whole["SUMMARY"]) == NAIROBI.title
    assert str(whole["DESCRIPTION"]) == NAIROBI.description
    assert str(whole["LOCATION"]) == "Nairobi, Kenya"
    assert str(whole["URL"]) == NAIROBI.url
    assert str(whole["STATUS"]) == "CONFIRMED"


def test_nine_in_nairobi_is_six_utc() -> None:
    whole = by_uid(NAIROBI)["event-12@pux"]
    assert whole["DTSTART"].params["TZID"] == "Africa/Nairobi"
    assert whole["DTEND"].params["TZID"] == "Africa/Nairobi"
    assert whole.decoded("DTSTART").astimezone(UTC) == datetime(2026, 7, 1, 6, 0, tzinfo=UTC)
    assert whole.decoded("DTEND").astimezone(UTC) == datetime(2026, 7, 3, 14, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("local", "utc"),
    [
        (datetime(2026, 7, 15, 9, 0), datetime(2026, 7, 15, 7, 0, tzinfo=UTC)),  # summer time: UTC+2
        (datetime(2026, 1, 15, 9, 0), datetime(2026, 1, 15, 8, 0, tzinfo=UTC)),  # winter: UTC+1
    ],
)
def test_vienna_follows_daylight_saving_time(local: datetime, utc: datetime) -> None:
    vienna = replace(
        NAIROBI, time_zone="Europe/Vienna", starts_at=local, ends_at=local.replace(hour=17), sessions=()
    )
    (whole,) = vevents(vienna)
    assert whole["DTSTART"].params["TZID"] == "Europe/Vienna"
    assert whole.decoded("DTSTART").astimezone(UTC) == utc


def test_a_vtimezone_describes_the_zone() -> None:
    (zone,) = parse(NAIROBI).walk("VTIMEZONE")
    assert str(zone["TZID"]) == "Africa/Nairobi"
    vienna = replace(NAIROBI, time_zone="Europe/Vienna")
    (zone,) = parse(vienna).walk("VTIMEZONE")
    assert str(zone["TZID"]) == "Europe/Vienna"
    # Vienna changes its clocks: both a standard and a daylight rule are written.
    assert zone.walk("DAYLIGHT") and zone.walk("STANDARD")


def test_sessions_carry_time_speakers_and_language() -> None:
    components = by_uid(NAIROBI)
    opening = components["event-12-session-1@pux"]
    assert str(opening["SUMMARY"]) == "Opening"
    assert opening["DTSTART"].params["TZID"] == "Africa/Nairobi"
    assert opening.decoded("DTEND").astimezone(UTC) == datetime(2026, 7, 1, 7, 30, tzinfo=UTC)
    assert str(opening["DESCRIPTION"]) == "Speakers: A. Mwangi, L. Chen\nLanguage: English"
    assert str(opening["RELATED-TO"]) == "event-12@pux"
    hydrology = components["event-12-session-2@pux"]
    assert hydrology.decoded("DTSTART").astimezone(UTC) == datetime(2026, 7, 2, 11, 0, tzinfo=UTC)


def test_a_cancelled_event_cancels_every_entry() -> None:
    cancelled = replace(NAIROBI, cancelled=True, sequence=4)
    assert {str(c["STATUS"]) for c in vevents(cancelled)} == {"CANCELLED"}
    assert {c.decoded("SEQUENCE") for c in vevents(cancelled)} == {4}


def test_arabic_and_chinese_titles_survive_the_round_trip() -> None:
    arabic = "ورشة إقليمية حول التقنيات النووية في الزراعة"
    chinese = "核技术在农业中的和平利用区域研讨会"
    session = replace(NAIROBI.sessions[0], title=chinese, speakers="محمد علي، 李华")
    event = replace(NAIROBI, title=arabic, location="Online", sessions=(session,))
    whole, opening = vevents(event)
    assert str(whole["SUMMARY"]) == arabic
    assert str(opening["SUMMARY"]) == chinese
    assert "محمد علي، 李华" in str(opening["DESCRIPTION"])


def test_lines_are_folded_and_end_with_crlf() -> None:
    raw = event_calendar(replace(NAIROBI, description="Soil " * 60))
    lines = raw.split(b"\r\n")
    # RFC 5545: lines are at most 75 octets, folded with CRLF and a space.
    assert all(len(line) <= 75 for line in lines)


@pytest.mark.parametrize("zone", ["Mars/Olympus_Mons", "", "../etc/passwd"])
def test_an_unknown_zone_is_refused(zone: str) -> None:
    with pytest.raises(ValueError, match="time zone"):
        event_calendar(replace(NAIROBI, time_zone=zone))


def test_an_event_that_ends_before_it_starts_is_refused() -> None:
    with pytest.raises(ValueError, match="ends before it starts"):
        event_calendar(replace(NAIROBI, ends_at=datetime(2026, 6, 30, 9, 0)))
    late_session = replace(NAIROBI.sessions[0], ends_at=datetime(2026, 7, 1, 8, 0))
    with pytest.raises(ValueError, match="ends before it starts"):
        event_calendar(replace(NAIROBI, sessions=(late_session,)))


def test_aware_local_times_and_a_naive_stamp_are_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        event_calendar(replace(NAIROBI, starts_at=datetime(2026, 7, 1, 9, 0, tzinfo=UTC)))
    with pytest.raises(ValueError, match="stamp"):
        event_calendar(replace(NAIROBI, stamp=datetime(2026, 5, 1, 12, 0)))
