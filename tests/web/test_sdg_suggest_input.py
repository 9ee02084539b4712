"""What the SDG suggestion API refuses: a language the tagger does not read, and a text with nothing in it."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

# Clean water: what the tagger suggests for it does not matter here, only whether the call is taken.
WELLS = "Solar pumps bring safe drinking water from new boreholes to twelve villages and their schools."


def _problems(response: object) -> dict[str, str]:
    body = response.json()  # type: ignore[attr-defined]
    return {problem["field"]: problem["message"] for problem in body["problems"]}


@pytest.mark.parametrize("language", ["de", "xx", "english", ""])
def test_a_language_the_tagger_does_not_read_is_refused_naming_the_field_and_the_six(
    client: TestClient, language: str
) -> None:
    answer = client.post("/api/v1/sdg/suggest", json={"text": WELLS, "language": language})
    assert answer.status_code == 422
    message = _problems(answer)["language"]
    assert all(code in message for code in ("en", "fr", "es", "ar", "zh", "ru"))


@pytest.mark.parametrize("language", [None, "en", "fr-CA", "ZH"])
def test_one_of_the_six_languages_or_none_is_taken(client: TestClient, language: str | None) -> None:
    body = {"text": WELLS} if language is None else {"text": WELLS, "language": language}
    assert client.post("/api/v1/sdg/suggest", json=body).status_code == 200


@pytest.mark.parametrize("text", ["   ", "\n\t \u3000", "\u00a0\u00a0"])
def test_a_text_of_only_spaces_is_refused_as_an_empty_text_is(client: TestClient, text: str) -> None:
    empty = client.post("/api/v1/sdg/suggest", json={"text": ""})
    blank = client.post("/api/v1/sdg/suggest", json={"text": text})
    assert empty.status_code == blank.status_code == 422
    assert blank.json() == empty.json()
    assert "text" in _problems(blank)
