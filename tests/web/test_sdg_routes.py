"""The SDG tagger through the API, the form helper and the command line."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from pux.cli import app
from tests.web_helpers import csrf_token

CANCER = (
    "A second radiotherapy centre will treat cervical and breast cancer patients in the western region, "
    "cutting premature deaths from non-communicable diseases."
)

# French, and no English keyword query matches it: its evidence is a target label and marked kinds.
SCHOOL_MEALS_FR = (
    "Dans les villages touchés par la sécheresse, le programme distribue des repas scolaires et des "
    "rations aux familles, afin que les enfants ne souffrent plus de la faim ni de la malnutrition."
)


def test_api_suggests_goal_3_with_evidence_and_nothing_is_stored(client: TestClient) -> None:
    response = client.post("/api/v1/sdg/suggest", json={"text": CANCER})
    assert response.status_code == 200
    suggestions = response.json()
    assert suggestions[0]["goal"] == "3" and suggestions[0]["evidence"]
    assert 0 < suggestions[0]["confidence"] <= 1
    assert client.post("/api/v1/sdg/suggest", json={"text": ""}).status_code == 422


def suggest_on_the_form(client: TestClient, title: str, codes: str, language: str = "en") -> Any:
    """The form's "Suggest SDGs" button, pressed by a reader of ``language``."""
    client.cookies.set("pux_lang", language)
    token = csrf_token(client)
    response = client.post(
        "/sdg/suggest-form",
        data={"title": title, "description": "", "sdg_target_codes": codes, "csrf_token": token},
    )
    client.cookies.delete("pux_lang")
    return response


def test_form_helper_prefills_targets_for_the_person_to_confirm(client: TestClient) -> None:
    response = suggest_on_the_form(client, CANCER, "5.6")
    assert response.status_code == 200
    assert 'id="sdg-field"' in response.text and "5.6, 3." in response.text  # kept what was there, added 3.x


def test_the_form_names_each_kind_of_evidence_in_the_readers_language(client: TestClient) -> None:
    # The engine marks its evidence kinds in English ("words: ..."); the page translates the mark.
    response = suggest_on_the_form(client, SCHOOL_MEALS_FR, "", "fr")
    assert response.status_code == 200
    assert "Mots : " in response.text and "Exemple étiqueté : " in response.text
    assert "words: " not in response.text and "example: " not in response.text


def test_cli_tag_and_eval(tmp_path: Path) -> None:
    runner = CliRunner()
    tagged = runner.invoke(app, ["sdg", "tag", CANCER])
    assert tagged.exit_code == 0 and "SDG 3" in tagged.output and "evidence" in tagged.output
    sample = tmp_path / "eval.csv"
    sample.write_text(
        "id,text,sdg,label\n"
        f'a,"{CANCER}",3,True\n'
        f'a,"{CANCER}",14,False\n'
        'b,"The home side won the derby 2-1 after a late header in stoppage time.",3,False\n',
        encoding="utf-8",
    )
    evaluated = runner.invoke(app, ["sdg", "eval", str(sample)])
    assert evaluated.exit_code == 0, evaluated.output
    assert evaluated.output.strip().splitlines()[-1] == "average accuracy: 1.000"


def test_target_codes_keep_their_order_on_an_arabic_page(client: TestClient) -> None:
    # "10.c" in a right-to-left line would show as "c.10": the codes and the evidence are set left to right.
    response = suggest_on_the_form(client, CANCER, "10.c", "ar")
    assert response.status_code == 200
    assert re.search(r'<input id="f-sdg_target_codes"[^>]*dir="ltr"', response.text)
    assert re.search(r'<span dir="ltr">3\.\d', response.text)
    assert "<bdi>" in response.text
