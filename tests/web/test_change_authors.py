"""A record's history names who made each change in the reader's words when no person made it: a French
reader of /evidence/17 read "Auteur : cli", and the demo needs' histories "demo-loader"."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pux.audit import service as audit
from pux.i18n import gettext, language_context
from tests.web.test_forms import language
from tests.world import World

# Internal labels of changes no person made, and what an English reader is told made them.
AUTHORS = {
    "cli:root": "Command line",
    "demo-loader": "Demonstration data",
    "matching:proposal:4": "Matching",
    "user:999999:gone@example.org": "A former account",
    "nightly-repair": "System",
}


def _authors_shown(client: TestClient, world: World, session: Session, lang: str) -> list[str]:
    need_id = world.needs["published_ken"]
    for label in AUTHORS:
        audit.record(
            session,
            actor=label,
            action="need.update",
            entity_type="need",
            entity_id=str(need_id),
            before={"title": "Old"},
            after={"title": "New"},
        )
    session.flush()
    with language(client, lang):
        page = client.get(f"/needs/{need_id}")  # a public page: anyone reads its history
    assert page.status_code == 200
    with language_context(lang):
        who = re.escape(gettext("Who"))
    return re.findall(rf'<td data-label="{who}">([^<]*)</td>', page.text)


def test_changes_no_person_made_are_named_for_the_reader(
    client: TestClient, session: Session, world: World
) -> None:
    shown = _authors_shown(client, world, session, "en")
    for name in AUTHORS.values():
        assert name in shown, (name, shown)


@pytest.mark.parametrize("lang", ["fr", "ar", "ru"])
def test_changes_no_person_made_are_named_in_the_readers_language_never_by_an_internal_label(
    client: TestClient, session: Session, world: World, lang: str
) -> None:
    shown = _authors_shown(client, world, session, lang)
    internal = {label.partition(":")[0] for label in AUTHORS} | set(AUTHORS)
    assert not internal & set(shown), shown
    with language_context(lang):
        names = {english: gettext(english) for english in AUTHORS.values()}
    for english, translated in names.items():
        assert translated != english, (lang, english)  # the catalogue names it: not the English shown again
        assert translated in shown, (lang, translated, shown)
