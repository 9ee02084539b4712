"""A need's coordination warnings say when what is committed to it exceeds its stated cost. The page warned
that organisations already supported the Kenyan need, but not that the 900,000 USD an activity commits and
a 400,000 USD proposal still open together pass its 1,200,000 USD cost: double funding nobody was told of.
Only the commitments the reader may see count, and an amount in another currency is compared only through
a stated exchange rate (without one the warning says the comparison is incomplete)."""

from __future__ import annotations

from decimal import Decimal

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pux.assistance import service as assistance
from pux.gaps.engine import ExchangeRate
from pux.matching import service as matching
from pux.matching.models import MatchProposal
from tests.web_helpers import sign_in
from tests.world import World, activity_data, kenya_grant_programme

OVER = (
    "Commitments recorded for this need and its open proposals (1,300,000 USD) exceed its stated cost "
    "(1,200,000 USD): check before adding funds."
)


def _committed(
    session: Session, world: World, amount: str, *, by: str = "partner_a", **extra: object
) -> None:
    """An activity of ``by``'s organisation for the Kenyan published need (its cost: 1,200,000 USD)."""
    organisation = {"partner_a": "donor_a", "officer_b": "agency_b"}[by]
    assistance.record_activity(
        session,
        actor=world.actors[by],
        data=activity_data(
            world.organisations[organisation],
            need_id=world.needs["published_ken"],
            amount_committed=Decimal(amount),
            **extra,
        ),
    )


def _open_proposal(session: Session, world: World, amount: str) -> None:
    session.add(
        MatchProposal(
            need_id=world.needs["published_ken"],
            programme_id=kenya_grant_programme(session, world),
            amount=Decimal(amount),
            fit=0.8,
            explanation="[]",
        )
    )
    session.flush()


def _warnings(session: Session, world: World, reader: str, **extra: object) -> dict[str, str]:
    found = matching.warnings_for_need(
        session, actor=world.actors[reader], need_id=world.needs["published_ken"], **extra
    )
    return {warning.kind: warning.message for warning in found}


def test_commitments_beyond_the_cost_are_warned_of_on_the_needs_page(
    client: TestClient, session: Session, world: World
) -> None:
    _committed(session, world, "900000")
    assert "over_committed" not in _warnings(session, world, "focal_ken")  # within the cost
    _open_proposal(session, world, "400000")
    assert _warnings(session, world, "focal_ken")["over_committed"] == OVER
    assert _warnings(session, world, "partner_a")["over_committed"] == OVER
    sign_in(client, world.emails["focal_ken"])
    page = client.get(f"/needs/{world.needs['published_ken']}")
    assert page.status_code == 200
    assert OVER in page.text


def test_only_the_commitments_the_reader_may_see_count(session: Session, world: World) -> None:
    _committed(session, world, "700000")
    _committed(session, world, "600000", by="officer_b", visibility="private")
    # Kenya's focal point sees every activity in Kenya; partner A sees neither agency B's private one nor
    # its amount.
    assert (
        "(1,300,000 USD) exceed its stated cost (1,200,000 USD)"
        in (_warnings(session, world, "focal_ken")["over_committed"])
    )
    assert "over_committed" not in _warnings(session, world, "partner_a")


def test_a_commitment_in_another_currency_is_compared_only_through_a_stated_rate(
    session: Session, world: World
) -> None:
    _committed(session, world, "900000")
    _committed(session, world, "500000", currency="EUR")
    incomplete = _warnings(session, world, "focal_ken")
    assert "over_committed" not in incomplete
    assert incomplete["over_committed_incomplete"] == (
        "Commitments recorded for this need and its open proposals include 500,000 EUR, which no stated "
        "exchange rate converts to USD: the comparison with its stated cost (1,200,000 USD) is incomplete "
        "(900,000 USD counted)."
    )
    rate = ExchangeRate("EUR", "USD", 1.1, 2025, "ECB reference rate")
    converted = _warnings(session, world, "focal_ken", rates=[rate])
    assert converted["over_committed"].startswith(
        "Commitments recorded for this need and its open proposals (1,450,000 USD) exceed its stated cost "
        "(1,200,000 USD)"
    )
    assert "1 EUR = 1.1000 USD (2025, ECB reference rate)" in converted["over_committed"]
    assert "over_committed_incomplete" not in converted
