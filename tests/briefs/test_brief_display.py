"""What a brief shows: an evidence figure names its currency once; a need's reference stands apart from its
title (on a line of its own, isolated left to right), on the page and in the PDF."""

from __future__ import annotations

import io
import re

import pypdf
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pux.accounts import service as accounts
from pux.accounts.permissions import EDITOR, Grant
from pux.knowledge import service as knowledge
from pux.knowledge.schemas import EvidenceCreate
from pux.needs import service as needs
from tests.world import PASSWORD, World


def test_a_unit_that_names_its_currency_gets_it_once() -> None:
    from pux.briefs.service import _unit_with_currency

    assert _unit_with_currency("USD million per year", "USD") == "USD million per year"
    assert _unit_with_currency("million per year", "USD") == "USD million per year"
    assert _unit_with_currency("patients per year", None) == "patients per year"


def test_an_evidence_figure_in_the_region_brief_names_its_currency_once(
    client: TestClient, session: Session, world: World
) -> None:
    editor = accounts.actor_for(
        accounts.create_user(
            session, actor=world.actors["admin"], email="brief-editor@test.pux.invalid", full_name="Editor",
            password=PASSWORD, grants=[Grant(EDITOR)],
        )
    )  # fmt: skip
    knowledge.create_evidence(
        session,
        actor=editor,
        data=EvidenceCreate(
            technique_code="radiotherapy", claim="Yearly benefit of radiotherapy services", value=88,
            unit="USD million per year", currency="USD", citation_title="A costing study",
            citation_url="https://example.org/costing", citation_year=2021,
        ),
    )  # fmt: skip
    page = client.get("/regions/014/brief")  # Eastern Africa: Kenya's needs ask for radiotherapy
    assert page.status_code == 200
    text = re.sub(r"<[^>]+>", "", page.text).replace("&nbsp;", " ").replace("\xa0", " ")
    assert "88 USD million per year" in text
    assert "USD USD" not in text


def test_a_needs_reference_stands_on_its_own_line_under_its_title(
    client: TestClient, session: Session, world: World
) -> None:
    need = needs.get_need(session, actor=world.actors["admin"], need_id=world.needs["published_ken"])
    page = client.get("/countries/KEN/brief")
    assert f'{need.title}</span><br><bdi class="ref code" dir="ltr">{need.reference}</bdi>' in page.text
    pdf = client.get("/countries/KEN/brief.pdf")
    reader = pypdf.PdfReader(io.BytesIO(pdf.content))
    lines = [line.strip() for page in reader.pages for line in page.extract_text().splitlines()]
    assert need.reference in lines, [line for line in lines if need.reference in line]


def test_an_evidence_line_says_how_its_figure_was_obtained(
    client: TestClient, session: Session, world: World
) -> None:
    editor = accounts.actor_for(
        accounts.create_user(
            session, actor=world.actors["admin"], email="method-editor@test.pux.invalid", full_name="Editor",
            password=PASSWORD, grants=[Grant(EDITOR)],
        )
    )  # fmt: skip
    for claim, method in (("Survival after radiotherapy", "randomised_trial"), ("Cost per patient", None)):
        knowledge.create_evidence(
            session,
            actor=editor,
            data=EvidenceCreate(
                technique_code="radiotherapy", claim=claim, value=12, unit="percent", study_method=method,
                citation_title="A study", citation_url="https://example.org/study", citation_year=2022,
            ),
        )  # fmt: skip
    page = client.get("/regions/014/brief")
    text = re.sub(r"<[^>]+>", "", page.text)
    assert re.search(r"Survival after radiotherapy.*?method: Randomised controlled trial", text, re.S)
    assert re.search(r"Cost per patient.*?method not stated", text, re.S)
