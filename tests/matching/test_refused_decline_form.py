"""A decline sent without a reason comes back to the page it was sent from, with the problem beside the
reason box and what was typed kept: a Russian focal point who typed spaces and pressed "Отклонить" met a
bare 422 error page instead."""

from __future__ import annotations

import html
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pux.i18n import gettext, language_context
from pux.matching.models import AllocationRound, MatchProposal
from tests.web.test_forms import language, post_form
from tests.web_helpers import sign_in
from tests.world import World, kenya_proposal


def _round(session: Session) -> AllocationRound:
    record = AllocationRound(
        title="Round of the refused decline",
        parameters={"country_cap_share": 0.25},
        method="whole_mip",
        objective=1.0,
        upper_bound=1.0,
        greedy_objective=1.0,
        binding=[],
        summary={},
    )
    session.add(record)
    session.flush()
    return record


def _decline(
    client: TestClient, from_page: str, proposal: MatchProposal, side: str, reason: str, **extra: str
) -> Any:
    sent = {"side": side, "decision": "decline", "reason": reason, **extra}
    return post_form(client, f"/proposals/{proposal.id}/decision", sent, from_page)


def _reason_box(page: str, proposal: MatchProposal, side: str) -> str:
    start = page.index(f'id="reason-{proposal.id}-{side}"')
    return page[page.rindex("<details", 0, start) : page.index("</details>", start)]


@pytest.mark.parametrize("lang", ["ru", "en", "ar"])
def test_a_blank_reason_shows_the_matching_page_again_with_the_problem_by_the_box(
    client: TestClient, session: Session, world: World, lang: str
) -> None:
    proposal = kenya_proposal(session, world)
    sign_in(client, world.emails["focal_ken"])
    with language(client, lang):
        answer = _decline(client, "/matching", proposal, "country", "   ")
    assert answer.status_code == 422
    page = answer.text
    with language_context(lang):
        assert f"<h1>{html.escape(gettext('Matching'))}</h1>" in page  # the page it was sent from
        problem = gettext("say why the proposal is declined")
    box = _reason_box(page, proposal, "country")
    assert box.startswith('<details class="confirm" open>')
    assert 'aria-invalid="true"' in box and f'aria-describedby="reason-error-{proposal.id}-country"' in box
    assert f'<p class="field-error" id="reason-error-{proposal.id}-country">{html.escape(problem)}</p>' in box
    session.refresh(proposal)
    assert proposal.status == "proposed" and proposal.country_decision is None  # nothing decided


def test_a_blank_reason_on_a_rounds_page_comes_back_to_that_page_and_that_side(
    client: TestClient, session: Session, world: World
) -> None:
    round_record = _round(session)
    proposal = kenya_proposal(session, world, round_record.id)
    sign_in(client, world.emails["facilitator"])  # who decides for either side: one form per side
    page_path = f"/matching/rounds/{round_record.id}"
    form = client.get(page_path).text
    assert f'name="round_id" value="{round_record.id}"' in form and 'name="page" value="1"' in form
    answer = _decline(client, page_path, proposal, "donor", "\n", round_id=str(round_record.id), page="1")
    assert answer.status_code == 422
    assert "<h1>Round of the refused decline</h1>" in answer.text
    assert 'aria-invalid="true"' in _reason_box(answer.text, proposal, "donor")
    assert 'aria-invalid="true"' not in _reason_box(answer.text, proposal, "country")


def test_a_decline_with_its_reason_still_goes_through(
    client: TestClient, session: Session, world: World
) -> None:
    proposal = kenya_proposal(session, world)
    sign_in(client, world.emails["focal_ken"])
    with language(client, "ru"):
        answer = _decline(client, "/matching", proposal, "country", "Бюджет уже распределен")
    assert answer.status_code == 303
    session.refresh(proposal)
    assert (proposal.status, proposal.decline_reason) == ("declined", "Бюджет уже распределен")


def test_a_refused_reason_is_kept_in_its_box(client: TestClient, session: Session, world: World) -> None:
    proposal = kenya_proposal(session, world)
    sign_in(client, world.emails["focal_ken"])
    too_long = "Бюджет уже распределен на другие проекты. " * 25  # over the 1,000 characters kept
    with language(client, "ru"):
        answer = _decline(client, "/matching", proposal, "country", too_long)
    assert answer.status_code == 422
    box = _reason_box(answer.text, proposal, "country")
    assert f">{too_long}</textarea>" in html.unescape(box)
    assert f'id="reason-error-{proposal.id}-country">' in box
