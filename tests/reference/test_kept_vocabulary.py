"""The regions, thematic areas and techniques that list pages and forms offer are kept between requests
until a reference load changes them: a page names them in its reader's language without reading them
again (they were read on every request, 2 ms of a needs page's CPU), and a reference load renames them."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from pux.audit import service as audit
from pux.i18n import LANGUAGES, language_context
from pux.reference import repository
from pux.reference import service as reference
from pux.reference.models import Region, Technique, ThematicArea
from tests.statements import recorded_statements
from tests.world import World

# A whole table read (the stamp only counts them; a need's own techniques are read by its id).
WHOLE_TABLE_READ = re.compile(r"FROM (thematic_area|technique|region)\s*(ORDER BY [^\n]*)?$")


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_kept_vocabulary_is_the_tables_in_the_readers_language(
    session: Session, world: World, language: str
) -> None:
    with language_context(language):
        for kept, records in (
            (reference.list_thematic_areas(session), repository.list_thematic_areas(session)),
            (reference.list_techniques(session), repository.list_techniques(session)),
            (reference.list_regions(session), repository.list_regions(session)),
        ):
            assert [item.name() for item in kept] == [record.name() for record in records]
            assert [item.names() for item in kept] == [record.names() for record in records]
    areas = {area.code: area for area in repository.list_thematic_areas(session)}
    assert [(a.code, a.position, a.is_enabling) for a in reference.list_thematic_areas(session)] == [
        (a.code, a.position, a.is_enabling) for a in areas.values()
    ]
    assert [(t.code, t.thematic_area_code) for t in reference.list_techniques(session)] == [
        (t.code, t.thematic_area_code) for t in repository.list_techniques(session)
    ]
    assert [(r.m49, r.level, r.parent_m49) for r in reference.list_regions(session)] == [
        (r.m49, r.level, r.parent_m49) for r in repository.list_regions(session)
    ]


def test_a_needs_page_names_areas_and_techniques_without_reading_them_again(
    client: TestClient, session: Session, world: World
) -> None:
    assert client.get("/needs").status_code == 200  # the first page reads them
    with recorded_statements(session.get_bind()) as seen:
        page = client.get("/needs", headers={"Accept-Language": "fr"})
    assert page.status_code == 200
    assert not [s for s in seen if WHOLE_TABLE_READ.search(s.strip())]
    health = session.get(ThematicArea, "health")
    radiotherapy = session.get(Technique, "radiotherapy")
    assert health is not None and radiotherapy is not None
    assert health.name_fr in page.text and radiotherapy.name_fr in page.text


def test_a_reference_load_renames_what_pages_offer(
    client: TestClient, session: Session, world: World
) -> None:
    before = client.get("/needs").text
    area = session.get(ThematicArea, "health")
    technique = session.get(Technique, "radiotherapy")
    region = session.scalars(select(Region).where(Region.m49 == "014")).one()  # Eastern Africa
    assert area is not None and technique is not None
    area.name_en, technique.name_en, region.name_en = (
        "Health (renamed)",
        "Radiotherapy (renamed)",
        "East (renamed)",
    )
    audit.record(
        session, actor="test", action="reference.load", entity_type="reference", entity_id="packaged"
    )
    after = client.get("/needs").text
    assert "Health (renamed)" not in before and "Radiotherapy (renamed)" not in before
    assert "Health (renamed)" in after and "Radiotherapy (renamed)" in after
    assert "East (renamed)" in client.get("/countries").text
