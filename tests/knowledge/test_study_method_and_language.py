"""How an evidence entry's figure was obtained (its study method) and the language its claim is written in.

A reader weighing "benefit-cost ratio 3.2" could not tell a randomised trial from an expert's estimate; the
form had no field for the claim's language, so a French author's claim was labelled English and offered
for translation into French. Both are now written on the form and the API, shown on the entry and the
ledger (which filters by method), named in the history, and read from a ledger file; a file without the
columns (the seed's) leaves what editors set."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pux.accounts.permissions import Actor
from pux.audit import service as audit
from pux.knowledge import repository, service
from pux.knowledge.models import EvidenceEntry
from pux.knowledge.schemas import EvidenceCreate, EvidenceUpdate
from pux.knowledge.seed import SeedReport
from tests.web.accessibility import accessibility_problems
from tests.web_helpers import bearer, csrf_token, sign_in
from tests.world import World

CITATION = {
    "citation_title": "Area-wide programme costs",
    "citation_year": 2019,
    "citation_url": "https://example.org/aw",
}
FORM = {
    "technique_code": "sterile_insect",
    "claim": "Rapport bénéfice-coût d'un programme contre la mouche des fruits",
    "value": "3.2",
    "unit": "benefit-cost ratio",
    **CITATION,
}


def _history(html: str) -> str:
    start = html.index('id="history-heading"')
    return html[start : html.index("</section>", start)]


def _select(html: str, name: str) -> str:
    start = html.index(f'name="{name}"')
    return html[start : html.index("</select>", start)]


def _post_form(client: TestClient, path: str, action: str, data: dict[str, str]) -> object:
    token = csrf_token(client, path)
    return client.post(action, data={**data, "csrf_token": token}, follow_redirects=False)


def _entry(session: Session, author: Actor, claim: str, **extra: object) -> EvidenceEntry:
    data = EvidenceCreate.model_validate(
        {"technique_code": "sterile_insect", "claim": claim, **CITATION, **extra}
    )
    return service.create_evidence(session, actor=author, data=data)


def test_an_editor_writes_the_method_and_the_claims_language_on_the_form(
    client: TestClient, session: Session, world: World
) -> None:
    sign_in(client, world.emails["facilitator"])
    form = client.get("/evidence/new").text
    languages = _select(form, "source_language")
    assert '<option value="fr" >Français</option>' in languages.replace("  ", " ")
    assert "العربية" in languages and "中文" in languages and "Русский" in languages
    methods = _select(form, "study_method")
    assert '<option value="">Not stated</option>' in methods
    assert "Randomised controlled trial" in methods and "Modelling or costing study" in methods

    created = _post_form(client, "/evidence/new", "/evidence", {**FORM, "study_method": "modelling_study"})
    assert created.status_code == 303, created.text[:500]  # type: ignore[attr-defined]
    path = created.headers["location"]  # type: ignore[attr-defined]
    entry = session.get(EvidenceEntry, int(path.rsplit("/", 1)[1]))
    assert entry is not None and (entry.study_method, entry.source_language) == ("modelling_study", "en")

    edited = _post_form(
        client,
        f"{path}/edit",
        f"{path}/edit",
        {**FORM, "study_method": "randomised_trial", "source_language": "fr", "version": str(entry.version)},
    )
    assert edited.status_code == 303, edited.text[:500]  # type: ignore[attr-defined]
    session.refresh(entry)
    assert (entry.study_method, entry.source_language) == ("randomised_trial", "fr")
    events = audit.history(session, entity_type="knowledge_evidence", entity_id=str(entry.id))
    assert events[-1].after is not None and events[-1].after["study_method"] == "randomised_trial"

    page = client.get(path).text
    assert "<dt>Study method</dt><dd>Randomised controlled trial</dd>" in page
    assert "<dt>Written in</dt><dd>Français</dd>" in page
    # The claim is French: it is translated into English, never "into French".
    translation_languages = _select(page, "language")
    assert ">English</option>" in translation_languages and ">Français</option>" not in translation_languages
    history = _history(page)
    assert "Study method: Modelling or costing study → Randomised controlled trial" in history
    assert "Written in: English → Français" in history


def test_a_method_or_language_nobody_knows_is_refused_beside_its_field(
    client: TestClient, world: World
) -> None:
    sign_in(client, world.emails["facilitator"])
    refused = _post_form(
        client, "/evidence/new", "/evidence", {**FORM, "study_method": "guesswork", "source_language": "xx"}
    )
    text = refused.text  # type: ignore[attr-defined]
    assert refused.status_code == 422  # type: ignore[attr-defined]
    assert "<strong>Study method</strong>" in text and "<strong>Written in</strong>" in text
    assert 'aria-describedby="error-study_method"' in text
    assert 'aria-describedby="error-source_language"' in text
    assert accessibility_problems(text) == []


def test_the_ledger_shows_each_entrys_method_and_filters_by_it(
    client: TestClient, session: Session, editor: Actor
) -> None:
    _entry(
        session, editor, "Yield gain measured in a randomised field trial", study_method="randomised_trial"
    )
    _entry(session, editor, "Cost of a programme whose source gives no method")
    _entry(session, editor, "Savings an expert panel estimated", study_method="expert_opinion")

    trials = client.get("/evidence", params={"study_method": "randomised_trial"})
    assert trials.status_code == 200
    assert "Yield gain measured" in trials.text and "Randomised controlled trial" in trials.text
    assert "whose source gives no method" not in trials.text and "expert panel" not in trials.text
    assert re.search(r'<option value="randomised_trial"\s+selected>', trials.text)

    unstated = client.get("/evidence", params={"study_method": "not_stated"}).text
    assert "whose source gives no method" in unstated
    assert "Yield gain measured" not in unstated and "expert panel" not in unstated


def test_the_api_reads_and_writes_the_method_and_the_language(client: TestClient, world: World) -> None:
    headers = bearer(world.tokens["facilitator"])
    body = {**FORM, "value": 3.2, "study_method": "systematic_review", "source_language": "fr"}
    made = client.post("/api/v1/evidence", json=body, headers=headers)
    assert made.status_code == 201, made.text
    assert (made.json()["study_method"], made.json()["source_language"]) == ("systematic_review", "fr")
    read = client.get(f"/api/v1/evidence/{made.json()['id']}", headers=headers).json()
    assert read["study_method"] == "systematic_review" and read["source_language"] == "fr"

    reviews = client.get("/api/v1/evidence", params={"study_method": "systematic_review"}, headers=headers)
    assert [entry["id"] for entry in reviews.json()["items"]] == [made.json()["id"]]
    unstated = client.get("/api/v1/evidence", params={"study_method": "not_stated"}, headers=headers)
    assert unstated.status_code == 200 and made.json()["id"] not in [
        e["id"] for e in unstated.json()["items"]
    ]

    refused = client.post("/api/v1/evidence", json={**body, "study_method": "hunch"}, headers=headers)
    assert refused.status_code == 422
    assert [p["field"] for p in refused.json()["problems"]] == ["study_method"]


def test_a_ledger_file_sets_the_method_and_one_without_the_column_keeps_the_editors(
    session: Session, editor: Actor, reviewer: Actor, seeded: SeedReport
) -> None:
    """`pux init` loads the seed again on every upgrade: its file has no study_method column, and would
    have put an editor's method back to "not stated" and the checked entry back to reported."""
    seed_entries = repository.evidence_by_keys(session, ["sit-bcr-1", "sit-cost-1"])
    assert {e.study_method for e in seed_entries.values()} == {None}  # none invented for the seed

    without = {"key": "k-1", "technique": "sterile_insect", "claim": "A claim from an older ledger file",
               **CITATION}  # fmt: skip
    service.import_evidence(session, actor=editor, rows=[without])
    entry = repository.evidence_by_keys(session, ["k-1"])["k-1"]
    fields = {name: getattr(entry, name) for name in EvidenceUpdate.model_fields if name != "version"}
    service.update_evidence(
        session,
        actor=editor,
        entry_id=entry.id,
        data=EvidenceUpdate.model_validate(
            {
                **fields,
                "study_method": "programme_evaluation",
                "source_language": "es",
                "version": entry.version,
            }
        ),
    )
    service.check_evidence(session, actor=reviewer, entry_id=entry.id, version=entry.version)

    again = service.import_evidence(session, actor=editor, rows=[without])
    assert again.unchanged == 1
    assert (entry.study_method, entry.source_language, entry.status) == (
        "programme_evaluation",
        "es",
        "checked",
    )

    given = {**without, "study_method": "observational_study", "source_language": ""}
    assert service.import_evidence(session, actor=editor, rows=[given]).updated == 1
    assert (entry.study_method, entry.source_language) == ("observational_study", "en")
    stated_none = {**without, "study_method": "", "source_language": "en"}
    service.import_evidence(session, actor=editor, rows=[stated_none])
    assert entry.study_method is None  # an empty cell says "not stated"


def test_filling_in_the_method_or_language_of_a_checked_entry_keeps_its_check(
    session: Session, editor: Actor, reviewer: Actor
) -> None:
    entry = _entry(
        session, editor, "Benefit-cost ratio of an area-wide fruit fly programme", value=3.2, unit="ratio"
    )
    service.check_evidence(session, actor=reviewer, entry_id=entry.id, version=entry.version)

    def edit(**changes: object) -> None:
        fields = {name: getattr(entry, name) for name in EvidenceUpdate.model_fields if name != "version"}
        data = EvidenceUpdate.model_validate({**fields, **changes, "version": entry.version})
        service.update_evidence(session, actor=editor, entry_id=entry.id, data=data)

    # How the study was made and the claim's language describe the entry; the figure checked is the same.
    edit(study_method="modelling_study", source_language="fr")
    assert (entry.status, entry.checked_by_id) == ("checked", reviewer.user_id)
    edit(value=4.1)  # a new figure is not what the reviewer checked
    assert (entry.status, entry.checked_by_id) == ("reported", None)
