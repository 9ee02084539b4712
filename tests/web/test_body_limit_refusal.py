"""A body over the size limit is refused as every other refusal is: the site's own page, or the API's JSON
error, in the reader's language, saying how much the site accepts."""

from __future__ import annotations

from collections.abc import Iterator

from fastapi.testclient import TestClient

from pux.config import Settings
from pux.i18n import gettext, language_context
from tests.web_helpers import bearer, csrf_token, sign_in
from tests.world import World

# A long report pasted into a need's description: 2.8 MB, over the 2 MB a form may send.
PASTED_REPORT = "تقرير " * (2_800_000 // len("تقرير ".encode()))
TOO_LARGE_AR = "حجم ما أُرسل أكبر مما يقبله هذا الموقع."
TOO_LARGE_FR = "Les données envoyées dépassent la taille acceptée par ce site."


def _limit_sentence(limit_bytes: int, language: str) -> str:
    """The sentence that states the limit, as the reader's catalogue writes it ("2 Mo" in French)."""
    with language_context(language):
        return gettext("The most it accepts is %(limit)s MB.") % {"limit": limit_bytes // (1024 * 1024)}


def test_a_need_form_over_the_limit_gets_the_sites_page_in_arabic(client: TestClient, world: World) -> None:
    sign_in(client, world.emails["counterpart_ken"])
    client.cookies.set("pux_lang", "ar")
    token = csrf_token(client, "/needs/new")
    answer = client.post(
        "/needs",
        data={"csrf_token": token, "country_iso3": "KEN", "title": "Report", "description": PASTED_REPORT},
    )
    assert answer.status_code == 413
    assert answer.headers["content-type"].startswith("text/html")
    assert 'lang="ar"' in answer.text and 'dir="rtl"' in answer.text
    assert TOO_LARGE_AR in answer.text and _limit_sentence(Settings().max_body_bytes, "ar") in answer.text
    assert "تقرير تقرير" not in answer.text  # what was sent is not echoed
    # The security headers every other page carries.
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert "frame-ancestors 'none'" in answer.headers["content-security-policy"]


def test_an_api_call_over_the_limit_gets_a_json_error_in_the_callers_language(
    client: TestClient, world: World
) -> None:
    answer = client.post(
        "/api/v1/needs",
        headers={**bearer(world.tokens["counterpart_ken"]), "Accept-Language": "fr"},
        json={"country_iso3": "KEN", "title": "Report", "description": PASTED_REPORT},
    )
    assert answer.status_code == 413
    assert answer.headers["content-type"] == "application/json"
    detail = answer.json()["detail"]
    assert detail.startswith(TOO_LARGE_FR) and _limit_sentence(Settings().max_body_bytes, "fr") in detail
    assert answer.headers["x-content-type-options"] == "nosniff"


def test_a_body_sent_without_its_length_is_refused_saying_the_limit(client: TestClient, world: World) -> None:
    def chunks() -> Iterator[bytes]:  # no Content-Length: the limit is met while the body is read
        yield b'{"title": "t", "description": "'
        for _ in range(30):
            yield b"x" * 100_000
        yield b'"}'

    answer = client.post(
        "/api/v1/needs",
        headers={**bearer(world.tokens["counterpart_ken"]), "Accept-Language": "fr"},
        content=chunks(),
    )
    assert answer.status_code == 413
    detail = answer.json()["detail"]
    assert detail.startswith(TOO_LARGE_FR) and _limit_sentence(Settings().max_body_bytes, "fr") in detail
