"""Numbers and texts typed into the page forms are saved as their writer meant them: whole numbers in
Arabic-Indic or Persian digits as well as amounts, an amount whose point may separate thousands refused
rather than saved a thousand times smaller, limits written as the reader writes numbers, and the joiners
that emoji and Persian words are made of kept (while the bidirectional overrides that could spoof a title
still go)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pux.dialogues.models import DialogueEvent
from pux.needs.models import Need
from tests.registry.form_fields import field_error
from tests.web.test_forms import language, post_form
from tests.web_helpers import sign_in
from tests.world import World

NEED = {
    "country_iso3": "KEN",
    "title": "Radiotherapy centre in Mombasa",
    "thematic_area_code": "health",
    "currency": "USD",
    "visibility": "public",
}
EVENT = {
    "kind": "regional_workshop",
    "title": "Workshop on radiotherapy treatment planning",
    "host_country_iso3": "KEN",
    "city": "Nairobi",
    "starts_at": "2099-05-04T09:00",
    "ends_at": "2099-05-06T17:00",
    "time_zone": "Africa/Nairobi",
    "is_public": "on",
}


def _need_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Need)) or 0


def _new_need(client: TestClient, session: Session, world: World, **typed: str) -> Any:
    """The new-need form posted by Kenya's counterpart with ``typed`` over a valid need."""
    sign_in(client, world.emails["counterpart_ken"])
    return post_form(client, "/needs", {**NEED, **typed}, "/needs/new")


def _saved_need(session: Session, response: Any) -> Need:
    assert response.status_code == 303, response.text[:2000]
    need = session.get(Need, int(response.headers["location"].rsplit("/", 1)[1]))
    assert need is not None
    return need


def test_whole_numbers_typed_in_arabic_or_persian_digits_are_saved(
    client: TestClient, session: Session, world: World
) -> None:
    """On /needs/new in Arabic, beneficiaries "٤٠٠٠٠" answered "must be a whole number" while the cost in
    the same digits was taken."""
    with language(client, "ar"):
        response = _new_need(
            client,
            session,
            world,
            beneficiaries_count="٤٠٬٠٠٠",  # Arabic-Indic digits, Arabic thousands separator
            beneficiaries_women_share="۶۰",  # Persian digits
            estimated_cost="٢٥٠٠٠٠٠٫٥٠",  # Arabic decimal separator
        )
    need = _saved_need(session, response)
    assert (need.beneficiaries_count, need.beneficiaries_women_share) == (40000, 60)
    assert need.estimated_cost == Decimal("2500000.50")


def test_an_event_capacity_in_arabic_digits_is_saved(
    client: TestClient, session: Session, world: World
) -> None:
    sign_in(client, world.emails["facilitator"])
    response = post_form(client, "/events", {**EVENT, "capacity": "٤٠"}, "/events/new")
    assert response.status_code == 303, response.text[:2000]
    event = session.get(DialogueEvent, int(response.headers["location"].rsplit("/", 1)[1]))
    assert event is not None and event.capacity == 40


def test_an_amount_whose_point_may_separate_thousands_is_refused_not_saved_smaller(
    client: TestClient, session: Session, world: World
) -> None:
    """A Spanish writer's 250.000 (two hundred and fifty thousand) was saved as 250."""
    before = _need_count(session)
    response = _new_need(client, session, world, estimated_cost="250.000")
    assert response.status_code == 422, response.text[:400]
    problem = field_error(response.text, "estimated_cost")
    assert "250.000" in problem and "thousands" in problem and "1,250,000.50" in problem, problem
    assert _need_count(session) == before
    written = _new_need(client, session, world, estimated_cost="250000")
    assert _saved_need(session, written).estimated_cost == Decimal("250000")


def test_a_limit_is_written_as_the_reader_writes_numbers(
    client: TestClient, session: Session, world: World
) -> None:
    """The limit read "must be at most 1E+13" (French "doit être au plus égal à 1E+11")."""
    response = _new_need(client, session, world, estimated_cost="200000000000000")
    assert field_error(response.text, "estimated_cost") == "must be less than 100,000,000,000,000"
    with language(client, "fr"):
        response = _new_need(client, session, world, estimated_cost="200000000000000")
    problem = field_error(response.text, "estimated_cost")
    assert "100\u202f000\u202f000\u202f000\u202f000" in problem and "E+" not in problem, problem


def test_joiners_are_kept_and_spoofing_characters_still_go(
    client: TestClient, session: Session, world: World
) -> None:
    """ "👩‍⚕️" (a woman, a joiner, the staff of Aesculapius) was saved as "👩⚕️", two pictures; Persian
    "می‌خواهیم" needs its non-joiner between letters."""
    health_worker, persian = "👩\u200d⚕\ufe0f", "می\u200cخواهیم"
    typed = f"Training for {health_worker} in Mombasa"
    response = _new_need(client, session, world, title=typed, description=f"{persian} — Ken\u200dya\u202e")
    need = _saved_need(session, response)
    assert need.title == typed
    # Between Latin letters a joiner joins nothing and would hide a difference; an override reverses text.
    assert need.description == f"{persian} — Kenya"
