"""An activity recorded with more disbursed than committed (500 against 100) was shown without a word: its
page now says the commitment may not be up to date or an amount was mistyped. (IATI allows it: a
commitment raised later may not have been reported, so it is shown, not refused.)"""

from __future__ import annotations

from decimal import Decimal

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pux.assistance import service as assistance
from tests.world import World, activity_data

NOTE = 'id="disbursed-above-committed"'


def _recorded(session: Session, world: World, committed: str, disbursed: str) -> int:
    data = activity_data(
        world.organisations["donor_a"],
        amount_committed=Decimal(committed),
        amount_disbursed=Decimal(disbursed),
    )
    activity = assistance.record_activity(session, actor=world.actors["partner_a"], data=data)
    session.flush()
    return activity.id


def test_an_activity_disbursing_more_than_it_commits_says_so(
    client: TestClient, session: Session, world: World
) -> None:
    above = _recorded(session, world, "100", "500")
    within = _recorded(session, world, "500", "100")
    assert NOTE in client.get(f"/activities/{above}").text
    assert NOTE not in client.get(f"/activities/{within}").text
