"""What production mode (served over HTTPS) adds to every answer, and development mode (plain http) must
not: Strict-Transport-Security, and a language cookie sent over HTTPS only, as the session cookie is."""

from __future__ import annotations

import secrets

import pytest
from fastapi.testclient import TestClient

from pux.config import Settings
from pux.web.middleware import LANGUAGE_COOKIE

PATHS = ("/", "/needs", "/sign-in", "/no-such-page", "/static/pux.css", "/api/v1/openapi.json", "/healthz")


@pytest.fixture(params=["development", "production"])
def settings(settings: Settings, request: pytest.FixtureRequest) -> Settings:
    """The tests' settings in each mode (the `client` fixture serves the app with them)."""
    if request.param == "development":
        return settings
    return settings.model_copy(update={"mode": "production", "secret_key": secrets.token_urlsafe(48)})


def test_only_production_tells_browsers_to_use_https_alone(client: TestClient, settings: Settings) -> None:
    for path in PATHS:
        headers = client.get(path).headers
        assert headers["x-frame-options"] == "DENY", path  # the other security headers in both modes
        if settings.mode == "production":
            assert headers["strict-transport-security"] == "max-age=31536000; includeSubDomains", path
        else:
            assert "strict-transport-security" not in headers, path


def test_the_language_cookie_is_sent_over_https_only_in_production(
    client: TestClient, settings: Settings
) -> None:
    response = client.get("/language/fr", params={"next": "/needs"}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/needs"
    (cookie,) = [
        value for value in response.headers.get_list("set-cookie") if value.startswith(LANGUAGE_COOKIE)
    ]
    attributes = {part.strip().split("=")[0].lower(): part for part in cookie.split(";")}
    assert attributes[LANGUAGE_COOKIE] == f"{LANGUAGE_COOKIE}=fr"
    assert "httponly" in attributes and attributes["samesite"].strip().lower() == "samesite=lax"
    assert ("secure" in attributes) == (settings.mode == "production")
