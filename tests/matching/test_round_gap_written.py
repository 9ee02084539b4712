"""A round's proven gap to the optimum is written the way the reader's language writes numbers: a Russian
round page read "Доказанный разрыв до оптимума 0.0%", with Python's decimal point."""

from __future__ import annotations

import html
import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pux.i18n import gettext, language_context
from pux.matching.models import AllocationRound
from tests.web.test_forms import language
from tests.web_helpers import sign_in
from tests.world import World, kenya_grant_programme

# The gap 1.2345 % of the optimum, as each language writes it (to one decimal, as the page's figures).
WRITTEN_GAPS = {"en": "1.2", "fr": "1,2", "es": "1,2", "ru": "1,2", "ar": "1.2", "zh": "1.2"}


def _round_with_a_gap(session: Session, world: World) -> int:
    record = AllocationRound(
        title="Round with a gap",
        parameters={"country_cap_share": 0.25, "programmes": [kenya_grant_programme(session, world)]},
        method="whole_mip",
        objective=0.987655,
        upper_bound=1.0,
        greedy_objective=0.9,
        binding=[],
        summary={"currencies": {}},
    )
    session.add(record)
    session.flush()
    return record.id


def _gap_shown(page: str, lang: str) -> str:
    with language_context(lang):
        label = re.escape(gettext("Proven gap to the optimum"))
    found = re.search(rf"{label}</dt><dd>([^<]*)</dd>", html.unescape(page))
    assert found, page[:400]
    return found.group(1)


@pytest.mark.parametrize("lang", sorted(WRITTEN_GAPS))
def test_the_proven_gap_is_written_in_the_readers_notation(
    client: TestClient, session: Session, world: World, lang: str
) -> None:
    round_id = _round_with_a_gap(session, world)
    sign_in(client, world.emails["facilitator"])
    with language(client, lang):
        page = client.get(f"/matching/rounds/{round_id}")
    assert page.status_code == 200
    gap = _gap_shown(page.text, lang)
    assert WRITTEN_GAPS[lang] in gap and "%" in gap, gap
    assert "1.235" not in gap and "0.0" not in gap


def test_a_gap_of_rounding_noise_is_written_as_none(
    client: TestClient, session: Session, world: World
) -> None:
    # A demo round solved to optimality stored an objective a rounding short of its bound: its page read
    # "0.000000000000021%" in Arabic.
    round_id = _round_with_a_gap(session, world)
    stored = session.get(AllocationRound, round_id)
    assert stored is not None
    stored.upper_bound, stored.objective = 1356.181, 1356.181 - 3e-13
    session.flush()
    sign_in(client, world.emails["facilitator"])
    with language(client, "ar"):
        page = client.get(f"/matching/rounds/{round_id}")
    assert page.status_code == 200
    shown = _gap_shown(page.text, "ar")
    assert shown.replace("\u2068", "").replace("\u2069", "") == "0%", shown  # marks keep "0" left of "%"
