"""The balance meter counts what the list says and nothing more: a person with no country and no
organisation is "not stated" in region, side and country group (not a partner), and a target on each
category judges the stated ones."""

from __future__ import annotations

from decimal import Decimal

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pux.dialogues import service
from pux.dialogues.balance import CountedPerson, measure
from pux.dialogues.schemas import ParticipantFields, TargetFields
from pux.dialogues.travel_fund import Applicant, Attending, FundProblem, allocate
from pux.dialogues.vocabulary import BalanceTarget
from tests.web_helpers import sign_in
from tests.world import World, event_data


def _shares(report: service.balance_engine.BalanceReport) -> dict[str, dict[str, int]]:
    return {d.dimension: {row.category: row.count for row in d.rows} for d in report.dimensions}


def test_missing_country_and_organisation_are_counted_as_not_stated(
    client: TestClient, session: Session, world: World
) -> None:
    facilitator = world.actors["facilitator"]
    event_id = service.create_event(session, actor=facilitator, data=event_data()).id
    for fields in (
        {
            "full_name": "Stated Kenyan",
            "email": "k@example.org",
            "country_iso3": "KEN",
            "stakeholder_type": "ministry",
        },
        {"full_name": "Nobody Knows", "email": "n@example.org"},  # no country, no organisation, no type
        {"full_name": "Donor Without Country", "email": "d@example.org", "stakeholder_type": "donor_agency"},
    ):
        service.add_participant(
            session, actor=facilitator, event_id=event_id, data=ParticipantFields.model_validate(fields)
        )
    service.add_target(  # each region at least 30%: Africa has 1 of 3
        session,
        actor=facilitator,
        event_id=event_id,
        data=TargetFields(dimension="region", category="*", bound="at_least", share_percent=Decimal(30)),
    )

    report = service.event_balance(session, actor=facilitator, event_id=event_id)
    shares = _shares(report)
    # Was partner 2 (the person of no stated country counted as a partner) and no "not stated" rows.
    assert shares["country_side"] == {"recipient": 1, "partner": 1, "not_stated": 1}
    assert shares["region"] == {"002": 1, "not_stated": 2}
    assert shares["stakeholder_type"] == {"ministry": 1, "donor_agency": 1, "not_stated": 1}
    assert shares["country_group"] == {"not_stated": 2}  # Kenya is in no group
    (check,) = report.checks
    assert (check.category, check.status) == ("002", "met")  # "not stated" is no region to reach 30%

    sign_in(client, world.emails["facilitator"])
    page = client.get(f"/events/{event_id}/participants").text
    region_table = page[page.index("<caption>Region</caption>") :].split("</table>", 1)[0]
    assert "Not stated" in region_table


def _person(key: int, region: str) -> CountedPerson:
    return CountedPerson(key, {"region": frozenset({region})})


EACH_REGION_A_QUARTER = BalanceTarget("region", "*", "at_least", 0.25)


def test_a_target_on_each_category_does_not_ask_for_people_whose_data_is_missing() -> None:
    # Four Kenyans and one person of no stated country: "each region at least 25%" holds (Africa 80%);
    # it does not ask for more people of no stated country (20%).
    people = [_person(key, "002") for key in range(4)] + [_person(4, "not_stated")]
    (check,) = measure(people, [EACH_REGION_A_QUARTER]).checks
    assert (check.category, check.status) == ("002", "met")
    applicants = tuple(
        Applicant(key, "KEN", 100.0, 100.0, 1.0, {"region": frozenset({region})})
        for key, region in ((1, "002"), (2, "not_stated"))
    )
    problem = FundProblem(200.0, applicants, (EACH_REGION_A_QUARTER,), Attending(3, {"region": {"002": 3}}))
    assert [d.amount for d in allocate(problem).decisions] == [100.0, 100.0]
