"""The knowledge editors' forms (a technique page, an evidence entry, a story, a myth), saved by someone
else while this person was typing: the form comes back (409) with what this person wrote, over the
current version, and a message naming the record; saved again once compared, it is kept. A bad value (422)
brings the form back with what was typed, the problem beside its field, and the version the form was made
from (so a later save is still checked against the colleague's)."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pux.knowledge import repository, service
from pux.knowledge.models import EvidenceEntry, Myth, SuccessStory, TechniqueProfile
from pux.knowledge.schemas import EvidenceCreate, EvidenceUpdate, MythUpdate, StoryCreate, StoryUpdate
from pux.knowledge.seed import SeedReport
from tests.registry.form_fields import field_error, form_problem, sent_again
from tests.web.accessibility import accessibility_problems
from tests.web_helpers import csrf_token, sign_in
from tests.world import World

TECHNIQUE = "sterile-insect-technique"
MYTH = "irradiated-food-is-radioactive"


def _opened(client: TestClient, path: str) -> dict[str, Any]:
    """The edit form as its page fills it (with its version), as a browser would send it."""
    page = client.get(path)
    assert page.status_code == 200, page.text[:400]
    return _as_sent(sent_again(page.text))


def _as_sent(shown: dict[str, list[str]]) -> dict[str, Any]:
    return {name: values if len(values) > 1 else values[0] for name, values in shown.items()}


def _post(client: TestClient, path: str, form: dict[str, Any]) -> Any:
    return client.post(path, data={**form, "csrf_token": csrf_token(client, path)}, follow_redirects=False)


def _stale_page(response: Any, kind: str, current_version: int) -> dict[str, list[str]]:
    """A 409 form page naming the record and its version, over the current version; what it shows."""
    problem = form_problem(response.text)
    assert response.status_code == 409, (response.status_code, problem or response.text[:400])
    assert (
        f"Someone else saved this {kind} after you opened it (it is now at version {current_version})."
        in problem
    ), problem
    assert "What you wrote is kept below" in problem
    assert accessibility_problems(response.text) == []
    shown = sent_again(response.text)
    assert shown["version"] == [str(current_version)]
    return shown


def _entry(session: Session, world: World) -> EvidenceEntry:
    data = EvidenceCreate(
        technique_code="sterile_insect",
        claim="Cost per hectare protected by sterile flies",
        value=40,
        unit="USD per hectare",
        currency="USD",
        citation_title="Area-wide programme costs",
        citation_year=2019,
        citation_url="https://example.org/aw",
    )
    return service.create_evidence(session, actor=world.actors["admin"], data=data)


def _story(session: Session, world: World) -> SuccessStory:
    data = StoryCreate.model_validate(
        {
            "title": "Sterile flies over the valley",
            "body": "The first releases.",
            "sources": [{"title": "Programme report", "year": 2021, "url": "https://example.org/report"}],
        }
    )
    return service.create_story(session, actor=world.actors["admin"], data=data)


def _myth(session: Session) -> Myth:
    myth = repository.get_myth_by_slug(session, MYTH)
    assert myth is not None
    return myth


def _saved_by_a_colleague(
    session: Session, world: World, record: Any, schema: type[Any], **changes: Any
) -> None:
    values = {name: getattr(record, name) for name in schema.model_fields}
    data = schema.model_validate({**values, **changes})
    admin = world.actors["admin"]
    if isinstance(record, EvidenceEntry):
        service.update_evidence(session, actor=admin, entry_id=record.id, data=data)
    elif isinstance(record, SuccessStory):
        service.update_story(session, actor=admin, story_id=record.id, data=data)
    else:
        service.update_myth(session, actor=admin, myth_id=record.id, data=data)
    session.flush()


def _fresh(session: Session, model: type[Any], record_id: int) -> Any:
    session.expire_all()
    record = session.get(model, record_id)
    assert record is not None
    return record


# --- Someone else saved first (409) ------------------------------------------------------------------


def test_a_technique_page_saved_by_someone_else_keeps_what_the_second_editor_wrote(
    client: TestClient, session: Session, world: World, seeded: SeedReport
) -> None:
    path = f"/techniques/{TECHNIQUE}/edit"
    sign_in(client, world.emails["facilitator"])
    form = _opened(client, path)
    page = service.technique_page(session, actor=world.actors["admin"], slug=TECHNIQUE)
    assert page.profile is not None
    service.update_technique_summary(
        session, actor=world.actors["admin"], slug=TECHNIQUE, summary="Saved first by a colleague.",
        sdg_target_codes=list(page.profile.sdg_target_codes), version=int(form["version"]),
    )  # fmt: skip
    session.flush()
    typed = {**form, "summary": "Saved second from an old form.", "sdg_target_codes": "2.3"}
    stale = _post(client, path, typed)
    current = _fresh(session, TechniqueProfile, page.profile.id)
    shown = _stale_page(stale, "technique page", current.version)
    assert current.summary == "Saved first by a colleague."
    assert shown["summary"] == ["Saved second from an old form."] and shown["sdg_target_codes"] == ["2.3"]
    assert _post(client, path, _as_sent(shown)).status_code == 303
    assert _fresh(session, TechniqueProfile, page.profile.id).summary == "Saved second from an old form."


def test_an_evidence_entry_saved_by_someone_else_keeps_what_the_second_editor_wrote(
    client: TestClient, session: Session, world: World
) -> None:
    entry = _entry(session, world)
    path = f"/evidence/{entry.id}/edit"
    sign_in(client, world.emails["facilitator"])
    form = _opened(client, path)
    _saved_by_a_colleague(
        session, world, entry, EvidenceUpdate, claim="Saved first by a colleague, per hectare"
    )
    typed = {**form, "claim": "Saved second from an old form, per hectare", "value": "42.5", "note": "Typed"}
    stale = _post(client, path, typed)
    current = _fresh(session, EvidenceEntry, entry.id)
    shown = _stale_page(stale, "evidence entry", current.version)
    assert current.claim == "Saved first by a colleague, per hectare"
    assert shown["claim"] == ["Saved second from an old form, per hectare"]
    assert shown["value"] == ["42.5"] and shown["note"] == ["Typed"]
    assert _post(client, path, _as_sent(shown)).status_code == 303
    assert _fresh(session, EvidenceEntry, entry.id).claim == "Saved second from an old form, per hectare"


def test_a_story_saved_by_someone_else_keeps_what_the_second_editor_wrote(
    client: TestClient, session: Session, world: World
) -> None:
    story = _story(session, world)
    path = f"/stories/{story.slug}/edit"
    sign_in(client, world.emails["facilitator"])
    form = _opened(client, path)
    _saved_by_a_colleague(session, world, story, StoryUpdate, title="Saved first by a colleague")
    sources = (
        "Programme report | FAO | 2021 | https://example.org/report\nField notes | | 2020 | 10.1234/notes"
    )
    typed = {**form, "title": "Saved second from an old form", "body": "Typed body.", "sources_text": sources}
    stale = _post(client, path, typed)
    current = _fresh(session, SuccessStory, story.id)
    shown = _stale_page(stale, "story", current.version)
    assert current.title == "Saved first by a colleague"
    assert shown["title"] == ["Saved second from an old form"] and shown["body"] == ["Typed body."]
    assert shown["sources_text"] == [sources]
    assert _post(client, path, _as_sent(shown)).status_code == 303
    assert _fresh(session, SuccessStory, story.id).title == "Saved second from an old form"


def test_a_myth_saved_by_someone_else_keeps_what_the_second_editor_wrote(
    client: TestClient, session: Session, world: World, seeded: SeedReport
) -> None:
    myth = _myth(session)
    path = f"/myths/{myth.slug}/edit"
    sign_in(client, world.emails["facilitator"])
    form = _opened(client, path)
    _saved_by_a_colleague(session, world, myth, MythUpdate, claim="Saved first by a colleague")
    typed = {**form, "claim": "Saved second from an old form", "finding": "Typed while the colleague saved."}
    stale = _post(client, path, typed)
    current = _fresh(session, Myth, myth.id)
    shown = _stale_page(stale, "myth", current.version)
    assert current.claim == "Saved first by a colleague"
    assert shown["claim"] == ["Saved second from an old form"]
    assert shown["finding"] == ["Typed while the colleague saved."]
    assert shown["sources_text"] == [form["sources_text"]]
    assert _post(client, path, _as_sent(shown)).status_code == 303
    assert _fresh(session, Myth, myth.id).claim == "Saved second from an old form"


# --- A bad value (422) -----------------------------------------------------------------------------------


def test_a_bad_technique_summary_brings_the_form_back_as_typed(
    client: TestClient, session: Session, world: World, seeded: SeedReport
) -> None:
    path = f"/techniques/{TECHNIQUE}/edit"
    sign_in(client, world.emails["facilitator"])
    form = _opened(client, path)
    refused = _post(client, path, {**form, "summary": "Typed summary.", "sdg_target_codes": "2.3, 99.9"})
    assert refused.status_code == 422
    shown = sent_again(refused.text)
    assert shown["summary"] == ["Typed summary."] and shown["sdg_target_codes"] == ["2.3, 99.9"]
    assert "99.9" in field_error(refused.text, "sdg_target_codes")
    # Too long a summary was cut at 10,000 characters and saved without a word: it is refused beside its box.
    too_long = "A" * 10_001
    refused = _post(client, path, {**form, "summary": too_long})
    assert refused.status_code == 422, refused.status_code
    assert sent_again(refused.text)["summary"] == [too_long]
    assert "10000" in field_error(refused.text, "summary").replace(",", "").replace("\u202f", "")
    page = service.technique_page(session, actor=world.actors["admin"], slug=TECHNIQUE)
    assert page.profile is not None and page.profile.summary != too_long[:10_000]


def test_a_bad_value_keeps_the_version_the_form_was_made_from(
    client: TestClient, session: Session, world: World, seeded: SeedReport
) -> None:
    """The evidence, story and myth forms shown again for a bad value carried the record's current version:
    a colleague's save in the meantime was then overwritten by the next save, without a word."""
    entry, story, myth = _entry(session, world), _story(session, world), _myth(session)
    sign_in(client, world.emails["facilitator"])
    cases = (
        (f"/evidence/{entry.id}/edit", entry, EvidenceUpdate, {"claim": "Saved first by a colleague here"},
         {"claim": "Typed with a bad value", "value": "forty"}, "value", "evidence entry"),
        (f"/stories/{story.slug}/edit", story, StoryUpdate, {"title": "Saved first by a colleague"},
         {"title": "Hi", "body": "Typed with a title too short."}, "title", "story"),
        (f"/myths/{myth.slug}/edit", myth, MythUpdate, {"claim": "Saved first by a colleague"},
         {"claim": "Typed with a bad value", "finding": "Short"}, "finding", "myth"),
    )  # fmt: skip
    for path, record, schema, colleague, typed, bad, kind in cases:
        form = _opened(client, path)
        _saved_by_a_colleague(session, world, record, schema, **colleague)
        refused = _post(client, path, {**form, **typed})
        assert refused.status_code == 422, (path, refused.status_code)
        shown = sent_again(refused.text)
        assert {name: shown[name] for name in typed} == {name: [value] for name, value in typed.items()}
        assert field_error(refused.text, bad), path
        assert shown["version"] == [form["version"]], path
        # Corrected and saved, it is still checked against the colleague's save.
        corrected = {**_as_sent(shown), bad: form.get(bad, "")}
        stale = _post(client, path, corrected)
        _stale_page(stale, kind, int(form["version"]) + 1)


def test_a_source_line_without_a_title_is_refused_and_kept_as_typed(
    client: TestClient, session: Session, world: World, seeded: SeedReport
) -> None:
    """A source line with no title was dropped without a word: saved without it, or (a myth needs one
    source) the form came back with the box emptied."""
    story, myth = _story(session, world), _myth(session)
    sign_in(client, world.emails["facilitator"])
    line = " | WHO | 2020 | https://example.org/who"
    for path in (f"/stories/{story.slug}/edit", f"/myths/{myth.slug}/edit"):
        form = _opened(client, path)
        refused = _post(client, path, {**form, "sources_text": line})
        assert refused.status_code == 422, (path, refused.status_code)
        assert sent_again(refused.text)["sources_text"] == [line], path
        assert field_error(refused.text, "sources_text"), path
