"""The dialogue statistics showed the gender split of every group, a group of one included: the public read
"Ethiopia: 1 participant, Women 1" of a workshop whose list names its one Ethiopian participant. Now the
split of a group of fewer than SMALLEST_GROUP_SHOWN people is hidden from all but those who run events, in
the table and the chart alike ("fewer than 3 people: not shown"), and groups are hidden with it until the
total less the groups shown cannot give a small group's split back."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pux.dialogues import service, statistics
from pux.dialogues.schemas import ParticipantFields
from tests.dialogues.test_statistics_privacy import _period, _public_event, _query
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

    page = client.get(_query()).text

    ethiopia = page[page.index(">Ethiopia</th>") :]
    ethiopia = ethiopia[: ethiopia.index("</tr>")]
    assert NOT_SHOWN in ethiopia
    assert 'data-label="Women">' not in ethiopia  # was "Women 1"
    chart = page[page.index("<svg") : page.index("</svg>")]
    tooltips = re.findall(r"<rect[^>]*><title>([^<]*)</title>", chart)
    assert f"{NOT_SHOWN}: 1" in tooltips
    # Only Uganda's split is drawn: two women and two men.
    assert sorted(t for t in tooltips if t.startswith(("Women", "Men"))) == ["Men: 2", "Women: 2"]
