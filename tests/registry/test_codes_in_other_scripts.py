"""SDG targets typed the way an Arabic (or Chinese) keyboard types them: "3.4، 3.8" with the Arabic comma,
"٣.٤" in Arabic-Indic digits. The form answered 422 "not an SDG target: 3.4،" (the ranking form reads
Arabic digits); an import's list cells read them as one unknown code too."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pux.interop.tabular import service as tabular
from pux.needs.models import Need
from tests.web_helpers import csrf_token, sign_in
from tests.world import World

TYPED = [
    ("3.4، 3.8", ["3.4", "3.8"]),  # Arabic comma
    ("٣.٤؛٣.٨", ["3.4", "3.8"]),  # Arabic-Indic digits, Arabic semicolon
    ("٣٫٤", ["3.4"]),  # with the Arabic decimal separator
    ("3.4，3.8、6.4", ["3.4", "3.8", "6.4"]),  # full-width and ideographic commas
    ("3.4; 3.8", ["3.4", "3.8"]),
]


def _targets(session: Session, need_id: int) -> list[str]:
    session.expire_all()
    need = session.get(Need, need_id)
    assert need is not None
    return sorted(need.sdg_target_codes)


@pytest.mark.parametrize(("typed", "codes"), TYPED)
def test_the_need_form_reads_targets_typed_in_other_scripts(
    client: TestClient, session: Session, world: World, typed: str, codes: list[str]
) -> None:
    sign_in(client, world.emails["focal_ken"])
    form = {
        "csrf_token": csrf_token(client, "/needs/new"),
        "country_iso3": "KEN",
        "title": "Cervical cancer screening and brachytherapy",
        "thematic_area_code": "health",
        "currency": "USD",
        "visibility": "public",
        "sdg_target_codes": typed,
    }
    response = client.post("/needs", data=form, follow_redirects=False)
    assert response.status_code == 303, response.text[:800]
    assert _targets(session, int(response.headers["location"].rsplit("/", 1)[1])) == codes


@pytest.mark.parametrize(("typed", "codes"), TYPED)
def test_an_import_reads_list_cells_typed_in_other_scripts(
    session: Session, world: World, typed: str, codes: list[str]
) -> None:
    content = (
        f'country_iso3,title,thematic_area_code,sdg_target_codes\nKEN,Imported screening,health,"{typed}"\n'
    )
    report = tabular.import_table(
        session,
        actor=world.actors["counterpart_ken"],
        entity_name="needs",
        content=content.encode(),
        filename="needs.csv",
    )
    assert _targets(session, report.ids[0]) == codes
