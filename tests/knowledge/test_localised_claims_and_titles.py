"""An evidence entry's claim and a story's title are shown in the reader's language wherever they are listed
(the ledger, the technique page and its calculator), labelled as the entry's and the stories' pages label
them: after an Arabic translation of a claim was saved, only the entry's page showed it, and the technique
page kept the stories' English titles that /stories showed in Arabic."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pux.accounts.permissions import Actor
from pux.knowledge import service
from pux.knowledge.schemas import StoryCreate, TranslationFields
from pux.knowledge.seed import SeedReport
from tests.world import screwworm_evidence

CLAIM_AR = "الفائدة السنوية لمربي الماشية بعد القضاء على الدودة الحلزونية"
TITLE_AR = "الحشرات العقيمة تحمي قطعان الماشية"
PAGE = "/techniques/sterile-insect-technique"


def _translated_entry_and_story(session: Session, editor: Actor) -> tuple[int, int]:
    entry = screwworm_evidence(session, editor, "Yearly benefit to livestock producers after eradication")
    story = service.create_story(
        session,
        actor=editor,
        data=StoryCreate(
            title="Sterile flies protect the herds", body="What happened.", technique_code="sterile_insect",
            status="published",
        ),
    )  # fmt: skip
    for kind, record_id, field, text in (
        ("evidence", entry.id, "claim", CLAIM_AR),
        ("story", story.id, "title", TITLE_AR),
    ):
        service.save_translation(
            session, actor=editor, entity_type=kind, entity_id=record_id,
            data=TranslationFields(field=field, language="ar", text=text),
        )  # fmt: skip
    return entry.id, story.id


def _labelled_arabic(text: str, html: str) -> bool:
    """``text`` shown in Arabic and labelled a machine-assisted draft, as the entry's own page shows it."""
    return bool(re.search(rf'<span lang="ar" dir="auto">{text}</span> <span class="fallback">', html))


def test_the_ledger_shows_the_translated_claim(
    client: TestClient, session: Session, seeded: SeedReport, editor: Actor
) -> None:
    _translated_entry_and_story(session, editor)
    client.get("/language/ar")
    ledger = client.get("/evidence", params={"technique": "sterile_insect"})
    assert ledger.status_code == 200
    assert _labelled_arabic(CLAIM_AR, ledger.text)
    assert "Yearly benefit to livestock producers after eradication" not in ledger.text


def test_the_technique_page_shows_translated_claims_and_story_titles(
    client: TestClient, session: Session, seeded: SeedReport, editor: Actor
) -> None:
    entry_id, _story_id = _translated_entry_and_story(session, editor)
    client.get("/language/ar")
    query = {
        "investment": "1000", "investment__currency": "USD", "running_cost": "100",
        "running_cost__currency": "USD", "benefit__source": str(entry_id),
    }  # fmt: skip
    page = client.get(PAGE, params=query)
    assert page.status_code == 200
    evidence = page.text.split('id="evidence-heading"')[1].split("</section>")[0]
    assert _labelled_arabic(CLAIM_AR, evidence)
    stories = page.text.split('id="stories-heading"')[1].split("</section>")[0]
    assert _labelled_arabic(TITLE_AR, stories)
    assert "Sterile flies protect the herds" not in stories
    assert f"{CLAIM_AR[:20]}" in page.text.split(f'<option value="{entry_id}"')[1].split("</option>")[0]
    relies_on = page.text.split('class="calculator-result"')[1]
    assert _labelled_arabic(CLAIM_AR, relies_on)
    # An English reader still reads the original, unlabelled.
    client.get("/language/en")
    english = client.get(PAGE).text
    assert "Yearly benefit to livestock producers after eradication</span></a>" in english
