"""A translation is reviewed by a second person: a facilitator wrote a French translation of an evidence
entry and then marked it reviewed themselves, both accepted, and /evidence/<id>?lang=fr showed it without
the "not yet reviewed" note. The writer (or last changer) of a translation is now kept; their review is
refused (409, nothing changed) and their page offers them no review button. The seed's translations, which
no person wrote, stay reviewable by any reviewer; a second reviewer reviews one a person wrote."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pux import migrate
from pux.accounts.permissions import Actor
from pux.db import make_engine
from pux.errors import InvalidTransition
from pux.knowledge import repository, service
from pux.knowledge.models import KnowledgeTranslation
from pux.knowledge.schemas import TranslationFields
from pux.knowledge.seed import SeedReport
from tests.conftest import empty_database
from tests.web_helpers import csrf_token, sign_in
from tests.world import World, screwworm_evidence

FRENCH_CLAIM = "Bénéfice annuel pour les éleveurs"
REFUSAL = "You wrote or last changed this translation, so you cannot review it"


def _entry(session: Session, actor: Actor) -> int:
    return screwworm_evidence(session, actor).id


def _translate_on_the_page(client: TestClient, entry_id: int) -> None:
    page = f"/evidence/{entry_id}"
    answer = client.post(
        f"/knowledge/evidence/{entry_id}/translations",
        data={
            "field": "claim",
            "language": "fr",
            "text": FRENCH_CLAIM,
            "csrf_token": csrf_token(client, page),
        },
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text[:300]


def _french_claim(session: Session, entry_id: int) -> KnowledgeTranslation:
    translation = repository.get_translation(session, "evidence", entry_id, "claim", "fr")
    assert translation is not None
    return translation


def _review(client: TestClient, translation: KnowledgeTranslation, page: str) -> Any:
    return client.post(
        f"/knowledge/translations/{translation.id}/review",
        data={"version": str(translation.version), "csrf_token": csrf_token(client, page)},
        follow_redirects=False,
    )


def test_the_facilitator_who_wrote_a_translation_cannot_review_it_on_the_page(
    client: TestClient, session: Session, world: World, seeded: SeedReport, reviewer: Actor
) -> None:
    entry_id = _entry(session, world.actors["admin"])
    sign_in(client, world.emails["facilitator"])
    _translate_on_the_page(client, entry_id)
    translation = _french_claim(session, entry_id)

    page = client.get(f"/evidence/{entry_id}")
    assert f'action="/knowledge/translations/{translation.id}/review"' not in page.text
    assert "You wrote this translation: another reviewer reviews it." in page.text

    answer = _review(client, translation, f"/evidence/{entry_id}")
    assert answer.status_code == 409
    assert REFUSAL in answer.text
    session.expire_all()
    unchanged = _french_claim(session, entry_id)
    assert (unchanged.status, unchanged.reviewed_by_id, unchanged.reviewed_at) == (
        "machine_draft",
        None,
        None,
    )
    client.get("/language/fr")
    french = client.get(f"/evidence/{entry_id}")
    assert (
        FRENCH_CLAIM in french.text and "(traduction assistée par machine, pas encore révisée)" in french.text
    )

    # A second person reviews it: the reviewer's page offers the button, and the review is kept.
    client.cookies.clear()
    sign_in(client, "reviewer@test.pux.invalid")
    page = client.get(f"/evidence/{entry_id}")
    assert f'action="/knowledge/translations/{translation.id}/review"' in page.text
    assert _review(client, unchanged, f"/evidence/{entry_id}").status_code == 303
    session.expire_all()
    reviewed = _french_claim(session, entry_id)
    assert (reviewed.status, reviewed.reviewed_by_id) == ("reviewed", reviewer.user_id)


def test_whoever_last_changed_the_text_is_its_writer(
    session: Session, world: World, seeded: SeedReport
) -> None:
    facilitator, admin = world.actors["facilitator"], world.actors["admin"]
    entry_id = _entry(session, world.actors["admin"])
    fields = TranslationFields(field="claim", language="fr", text=FRENCH_CLAIM)
    service.save_translation(
        session, actor=facilitator, entity_type="evidence", entity_id=entry_id, data=fields
    )
    changed = fields.model_copy(update={"text": FRENCH_CLAIM + " (révisé)"})
    translation = service.save_translation(
        session, actor=admin, entity_type="evidence", entity_id=entry_id, data=changed
    )
    with pytest.raises(InvalidTransition):
        service.review_translation(
            session, actor=admin, translation_id=translation.id, version=translation.version
        )
    assert translation.status == "machine_draft" and translation.reviewed_by_id is None
    reviewed = service.review_translation(
        session, actor=facilitator, translation_id=translation.id, version=translation.version
    )
    assert (reviewed.status, reviewed.reviewed_by_id) == ("reviewed", facilitator.user_id)


def test_the_seeds_translations_stay_reviewable_by_any_reviewer(
    client: TestClient, session: Session, world: World, seeded: SeedReport
) -> None:
    sign_in(client, world.emails["facilitator"])
    page = client.get("/techniques/sterile-insect-technique")
    match = re.search(r'action="/knowledge/translations/(\d+)/review"', page.text)
    assert match is not None
    translation = repository.get_translation_by_id(session, int(match.group(1)))
    assert translation is not None
    answer = _review(client, translation, "/techniques/sterile-insect-technique")
    assert answer.status_code == 303
    session.expire_all()
    assert translation.status == "reviewed"


def _insert_user(connection: sa.Connection, email: str) -> int:
    connection.execute(
        sa.text(
            "INSERT INTO user_account (email, full_name, is_active, version, created_at)"
            " VALUES (:email, 'Someone', true, 1, '2026-11-01 10:00:00')"
        ),
        {"email": email},
    )
    return int(connection.scalar(sa.text("SELECT id FROM user_account WHERE email = :e"), {"e": email}))


def _insert_translation(connection: sa.Connection, field: str, text: str) -> int:
    connection.execute(
        sa.text(
            "INSERT INTO knowledge_translation (version, entity_type, entity_id, field, language, text,"
            " status, updated_at)"
            " VALUES (1, 'evidence', 1, :field, 'fr', :text, 'machine_draft', '2026-11-01 10:00:00')"
        ),
        {"field": field, "text": text},
    )
    return int(
        connection.scalar(sa.text("SELECT id FROM knowledge_translation WHERE field = :f"), {"f": field})
    )


def _insert_save(connection: sa.Connection, translation_id: int, actor: str, text: str) -> None:
    connection.execute(
        sa.text(
            "INSERT INTO audit_event (occurred_at, actor, action, entity_type, entity_id, after) VALUES"
            " ('2026-11-01 10:00:00', :actor, 'translation.save', 'knowledge_translation', :key, :after)"
        ),
        {"actor": actor, "key": str(translation_id), "after": f'{{"text": "{text}"}}'},
    )


def test_the_migration_gives_kept_translations_the_writer_the_audit_trail_names(tmp_path: Path) -> None:
    with empty_database(tmp_path, "pux_m9_translation_writers") as url:
        migrate.upgrade(url, "0025")
        engine = make_engine(url)
        with engine.begin() as connection:
            writer = _insert_user(connection, "writer@test.pux.invalid")
            other = _insert_user(connection, "other@test.pux.invalid")
            theirs = _insert_translation(connection, "claim", "Texte de la personne")
            rewritten = _insert_translation(connection, "unit", "Texte du seed")
            seeded = _insert_translation(connection, "citation_title", "Texte du système")
            _insert_save(connection, theirs, f"user:{other}:other@test.pux.invalid", "Premier texte")
            _insert_save(connection, theirs, f"user:{writer}:writer@test.pux.invalid", "Texte de la personne")
            _insert_save(connection, rewritten, f"user:{writer}:writer@test.pux.invalid", "Ancien texte")
        migrate.upgrade(url)
        with engine.connect() as connection:
            writers = dict(
                connection.execute(sa.text("SELECT id, written_by_id FROM knowledge_translation")).all()
            )
        engine.dispose()
    # The last save's writer; a text the seed wrote over since and one no person saved have none.
    assert writers == {theirs: writer, rewritten: None, seeded: None}
