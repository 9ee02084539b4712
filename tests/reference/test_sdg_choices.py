"""The SDG goals and targets offered by the needs filter: every goal then its targets, labelled in the
reader's language, kept between pages until the framework is loaded again."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from pux.audit import service as audit
from pux.i18n import LANGUAGES, language_context
from pux.reference import service as reference
from pux.reference.choices import sdg_filter_options
from pux.reference.models import SdgGoal
from tests.world import World


@pytest.mark.parametrize("language", LANGUAGES)
def test_options_are_each_goal_then_its_targets_in_the_readers_language(
    session: Session, world: World, language: str
) -> None:
    with language_context(language):
        options = sdg_filter_options(session)
        expected = []
        for goal in reference.list_goals(session):
            expected.append((goal.code, f"{goal.code} – {goal.label()}"))
            expected += [(t.code, f"\u2003{t.code} – {t.label()}") for t in goal.targets]
    assert list(options) == expected
    assert sum(1 for code, _label in options if "." not in code) == 17 and len(options) > 17 * 5


@pytest.mark.parametrize("kind", ["reference", "sdg_framework"])
def test_a_load_of_the_framework_relabels_the_options(session: Session, world: World, kind: str) -> None:
    with language_context("es"):
        before = dict(sdg_filter_options(session))
        goal = session.get(SdgGoal, "3")
        assert goal is not None
        goal.label_es = "Salud y bienestar (revisado)"
        audit.record(session, actor="test", action=f"{kind}.load", entity_type=kind, entity_id="packaged")
        after = dict(sdg_filter_options(session))
    assert before["3"] != "3 – Salud y bienestar (revisado)"
    assert after["3"] == "3 – Salud y bienestar (revisado)"
