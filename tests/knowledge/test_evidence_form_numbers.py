"""The evidence form reads its figures as the page's language writes them, as the calculator does: "1 234,5"
on a French page is 1234.5 (it was refused "Valeur doit être un nombre", only "1234.5" was taken); a number
that could be read two ways is refused by its field; the edit form writes the figure back so that saving it
unchanged keeps it."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pux.accounts.permissions import Actor
from pux.knowledge import repository
from pux.knowledge.models import EvidenceEntry
from pux.knowledge.seed import SeedReport
from tests.registry.form_fields import field_error, form_problem, sent_again
from tests.web_helpers import csrf_token, sign_in

NNBSP = "\u202f"
FORM = {
    "technique_code": "sterile_insect", "claim": "Yearly benefit to livestock producers after eradication",
    "source_language": "en", "unit": "USD million per year", "currency": "USD", "citation_title": "Impact",
    "citation_year": "2021", "citation_url": "https://example.org/impact",
}  # fmt: skip


def _post(client: TestClient, path: str, form: dict[str, Any]) -> Any:
    return client.post(path, data={**form, "csrf_token": csrf_token(client, path)}, follow_redirects=False)


def _saved(session: Session, answer: Any) -> EvidenceEntry:
    assert answer.status_code == 303, form_problem(answer.text) or answer.status_code
    entry = repository.get_evidence(session, int(answer.headers["location"].rsplit("/", 1)[1]))
    assert entry is not None
    return entry


def test_a_french_page_takes_a_french_number(
    client: TestClient, session: Session, seeded: SeedReport, editor: Actor
) -> None:
    sign_in(client, "editor@test.pux.invalid")
    client.get("/language/fr")
    entry = _saved(
        session, _post(client, "/evidence", {**FORM, "value": "1 234,5", "value_high": f"2{NNBSP}000"})
    )
    assert (entry.value, entry.value_high) == (1234.5, 2000)


def test_a_number_read_two_ways_is_refused_by_its_field_and_kept(
    client: TestClient, session: Session, seeded: SeedReport, editor: Actor
) -> None:
    sign_in(client, "editor@test.pux.invalid")
    client.get("/language/fr")
    refused = _post(client, "/evidence", {**FORM, "value": "1.500", "value_high": "abc"})
    assert refused.status_code == 422
    example = f"1{NNBSP}234{NNBSP}567,5"  # how a French page writes a number
    assert "1.500" in field_error(refused.text, "value") and example in field_error(refused.text, "value")
    assert example in field_error(refused.text, "value_high")
    assert "Valeur" in form_problem(refused.text)  # the field named, by its label
    shown = sent_again(refused.text)
    assert shown["value"] == ["1.500"] and shown["value_high"] == ["abc"]
    # In English, a French decimal comma is not a number as English writes it.
    client.get("/language/en")
    refused = _post(client, "/evidence", {**FORM, "value": "1234,5"})
    assert refused.status_code == 422
    assert field_error(refused.text, "value") == "must be a number, written as in 1,234,567.5"


def test_an_entry_saved_unchanged_from_a_french_edit_form_keeps_its_figure(
    client: TestClient, session: Session, seeded: SeedReport, editor: Actor
) -> None:
    sign_in(client, "editor@test.pux.invalid")
    entry = _saved(
        session, _post(client, "/evidence", {**FORM, "value": "0.125", "value_high": "1234567.25"})
    )
    client.get("/language/fr")
    path = f"/evidence/{entry.id}/edit"
    shown = sent_again(client.get(path).text)
    assert shown["value"] == ["0,125"] and shown["value_high"] == [f"1{NNBSP}234{NNBSP}567,25"]
    form = {name: values[0] for name, values in shown.items()}
    answer = _post(client, path, form)
    assert answer.status_code == 303, form_problem(answer.text)
    session.refresh(entry)
    assert (entry.value, entry.value_high) == (0.125, 1234567.25)
