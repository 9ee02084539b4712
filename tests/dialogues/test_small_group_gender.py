"""The dialogue statistics showed the gender split of every group, a group of one included: the public read
"Ethiopia: 1 participant, Women 1" of a workshop whose list names its one Ethiopian participant. Now the
split of a group of fewer than SMALLEST_GROUP_SHOWN people is hidden from all but those who run events, in
the table and the chart alike ("fewer than 3 people: not shown"), and groups are hidden with it until the
total less the groups shown cannot give a small group's split back."""

from __future__ import annotations

import re
from datetime import date

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pux.dialogues import service, statistics
from pux.dialogues.schemas import ParticipantFields
from tests.dialogues.test_statistics_privacy import _period, _public_event
from tests.world import World

NOT_SHOWN = "fewer than 3 people: not shown"


def _listed(session: Session, world: World, event_id: int, people: dict[str, list[str]]) -> None:
    """``people``: country -> the gender of each of its participants."""
    for iso3, genders in people.items():
        for index, gender in enumerate(genders):
            service.add_participant(
                session,
                actor=world.actors["facilitator"],
                event_id=event_id,
                data=ParticipantFields(
                    full_name=f"Participant {iso3} {index}",
                    email=f"p.{iso3}.{index}@example.org",
                    country_iso3=iso3,
                    gender=gender,
                ),
            )


def _rows(session: Session, world: World, role: str) -> dict[str, statistics.GroupRow]:
    report = statistics.dialogue_statistics(session, actor=world.actors[role], period=_period(), by="country")
    return {row.key: row for row in report.rows} | {"total": report.totals}


def _workshop(session: Session, world: World) -> None:
    event_id = _public_event(session, world)
    _listed(
        session,
        world,
        event_id,
        {"ETH": ["female"], "KEN": ["female", "female", "male"], "UGA": ["female", "female", "male", "male"]},
    )


def test_the_public_is_not_told_the_gender_of_a_group_of_one(session: Session, world: World) -> None:
    _workshop(session, world)

    public = _rows(session, world, "public")

    assert public["ETH"].participants == 1  # how many came is still told
    assert dict(public["ETH"].by_gender) == {}  # was {"female": 1}: the one Ethiopian is a woman
    assert public["ETH"].gender_hidden == statistics.TOO_FEW
    # With Ethiopia's split hidden alone, the total less the others would give it back: Kenya's goes too.
    assert (dict(public["KEN"].by_gender), public["KEN"].gender_hidden) == ({}, statistics.COMPLEMENT)
    assert dict(public["UGA"].by_gender) == {"female": 2, "male": 2}
    assert dict(public["total"].by_gender) == {"female": 5, "male": 3}


def test_those_who_run_events_still_see_every_split(session: Session, world: World) -> None:
    _workshop(session, world)

    facilitator = _rows(session, world, "facilitator")

    assert dict(facilitator["ETH"].by_gender) == {"female": 1}
    assert dict(facilitator["KEN"].by_gender) == {"female": 2, "male": 1}
    assert facilitator["ETH"].gender_hidden is None


def test_two_small_groups_together_still_too_small_take_a_third_with_them(
    session: Session, world: World
) -> None:
    event_id = _public_event(session, world)
    _listed(
        session,
        world,
        event_id,
        {"ETH": ["female"], "GHA": ["female"], "KEN": ["male", "male", "female"], "UGA": ["male"] * 4},
    )

    public = _rows(session, world, "public")

    # Ethiopia and Ghana, one each: the total less Kenya and Uganda would say "2 women" of the two.
    assert public["ETH"].gender_hidden == public["GHA"].gender_hidden == statistics.TOO_FEW
    assert public["KEN"].gender_hidden == statistics.COMPLEMENT
    assert public["UGA"].gender_hidden is None


def test_the_page_table_and_chart_say_why_and_show_no_split_of_the_small_group(
    client: TestClient, session: Session, world: World
) -> None:
    _workshop(session, world)

    year = _year()
    page = client.get(f"/events-statistics?from={year.start.isoformat()}&to={year.end.isoformat()}").text

    ethiopia = page[page.index(">Ethiopia</th>") :]
    ethiopia = ethiopia[: ethiopia.index("</tr>")]
    assert NOT_SHOWN in ethiopia
    assert 'data-label="Women">' not in ethiopia  # was "Women 1"
    chart = page[page.index("<svg") : page.index("</svg>")]
    tooltips = re.findall(r"<rect[^>]*><title>([^<]*)</title>", chart)
    assert f"{NOT_SHOWN}: 1" in tooltips
    # Only Uganda's split is drawn: two women and two men.
    assert sorted(t for t in tooltips if t.startswith(("Women", "Men"))) == ["Men: 2", "Women: 2"]


# --- Across the page's tables and across periods (the public could still work a hidden split out) -------


def _year() -> statistics.Period:
    """The whole calendar year of the test event: the only kind of period the public may ask for."""
    year = _period().start.year
    return statistics.Period(date(year, 1, 1), date(year, 12, 31))


def _public_report(session: Session, world: World, by: str) -> dict[str, statistics.GroupRow]:
    report = statistics.dialogue_statistics(session, actor=world.actors["public"], period=_year(), by=by)
    return {row.key: row for row in report.rows} | {"total": report.totals}


def _oceania_and_africa(session: Session, world: World) -> str:
    """Fiji 5, Samoa 3 and Papua New Guinea 2 in one region; Kenya and Uganda, 4 each, and Ethiopia 1 in
    another (Ethiopia and Papua New Guinea, hidden, hold 3 people together: Samoa's split stays shown).
    Returns the key of Oceania's region."""
    _listed(
        session,
        world,
        _public_event(session, world),
        {
            "FJI": ["female", "male", "male", "male", "other"],
            "WSM": ["female", "male", "male"],
            "PNG": ["female", "male"],
            "ETH": ["female"],
            "KEN": ["female", "female", "male", "male"],
            "UGA": ["female", "female", "male", "male"],
        },
    )
    return service.country_facts(session).regions["PNG"]


def _split(row: statistics.GroupRow) -> dict[str, int]:
    return {gender: count for gender, count in row.by_gender.items() if count}


def test_a_region_less_its_countries_shown_does_not_give_a_small_country_back(
    session: Session, world: World
) -> None:
    oceania = _oceania_and_africa(session, world)
    assert service.country_facts(session).regions["KEN"] != oceania

    by_country = _public_report(session, world, "country")
    by_region = _public_report(session, world, "region")

    assert by_country["PNG"].gender_hidden == statistics.TOO_FEW
    assert by_country["WSM"].gender_hidden is None and by_country["FJI"].gender_hidden is None
    shown = [row for key, row in by_country.items() if key != "total" and not row.gender_hidden]
    # Every table's splits shown, summed and subtracted as the auditor did, never isolate Papua New Guinea:
    # Oceania's split (was "3 women, 6 men, 1 other") less Fiji's and Samoa's was its two people's.
    assert by_region[oceania].gender_hidden is not None  # was None
    assert by_region[oceania].participants == 10  # how many came is still told
    hidden_countries = [key for key, row in by_country.items() if key != "total" and row.gender_hidden]
    if not by_region["total"].gender_hidden and not by_country["total"].gender_hidden:
        # The total less the regions shown less their countries shown: the hidden countries of the hidden
        # regions, which must hold at least 3 people.
        regions = service.country_facts(session).regions
        hidden_regions = {key for key, row in by_region.items() if key != "total" and row.gender_hidden}
        behind = sum(by_country[c].participants for c in hidden_countries if regions[c] in hidden_regions)
        assert behind >= statistics.SMALLEST_GROUP_SHOWN
    assert shown  # the larger countries' splits are still told


def test_those_who_run_events_see_every_region_split(session: Session, world: World) -> None:
    oceania = _oceania_and_africa(session, world)

    report = statistics.dialogue_statistics(
        session, actor=world.actors["facilitator"], period=_year(), by="region"
    )

    region = next(row for row in report.rows if row.key == oceania)
    assert _split(region) == {"female": 3, "male": 6, "other": 1}


def test_the_public_asks_for_one_whole_calendar_year_at_a_time(
    client: TestClient, session: Session, world: World
) -> None:
    _workshop(session, world)
    year = _year()

    # Part of a year, or two years, would let one period's table be subtracted from another's.
    part = client.get(f"/events-statistics?from={year.start.isoformat()}&to={_period().end.isoformat()}")
    two_years = client.get(f"/events-statistics?from={year.start.isoformat()}&to={year.end.year + 1}-12-31")
    whole = client.get(f"/events-statistics?from={year.start.isoformat()}&to={year.end.isoformat()}")

    assert part.status_code == two_years.status_code == 422  # was 200 with the part's figures
    assert "must be 31 December" in part.text
    assert "To: must be 31 December" in part.text  # the field is named
    assert "must be 31 December of the year the period starts in" in two_years.text
    assert whole.status_code == 200
    assert ">Uganda</th>" in whole.text
