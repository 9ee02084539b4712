"""A defect in a route (an exception nobody expected) was answered by Starlette's outermost layer, outside
PUX's own: the 500 answer had no security headers and no request id, so the person had nothing to quote
and the operator nothing to find the request's log lines by. Now it is answered like any other: the
headers, the id in the header, on the page (or in the JSON) and in the request's log line, and never the
error itself."""

from __future__ import annotations

import logging
from typing import cast

import pytest
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient

from pux.web.errors import RERAISE_DEFECTS
from pux.web.headers import PAGE_POLICY

PAGE = "/crash-for-test"
API = "/api/v1/crash-for-test"
SECRET = "the-defect-s-own-words"
SESSION_CRASH = "/crash-after-writing-the-session-for-test"
SESSION_READ = "/session-for-test"


@pytest.fixture
def crashing(client: TestClient) -> TestClient:
    """The real app (as `client` serves it) with routes that fail the way a defect does, in this test only."""

    def crash() -> None:
        raise RuntimeError(SECRET)

    def crash_after_writing_the_session(request: Request) -> None:
        request.session["written_by_a_failed_route"] = "yes"
        raise RuntimeError(SECRET)

    def session_holds(request: Request) -> dict[str, bool]:
        return {"written": "written_by_a_failed_route" in request.session}

    app = cast(FastAPI, client.app)
    app.add_api_route(PAGE, crash)
    app.add_api_route(API, crash)
    app.add_api_route(SESSION_CRASH, crash_after_writing_the_session)
    app.add_api_route(SESSION_READ, session_holds)
    setattr(app.state, RERAISE_DEFECTS, False)  # the answer itself is what these tests read
    return client


def test_a_defect_in_a_test_still_fails_the_test(client: TestClient) -> None:
    # The tests' client raises a defect again after its 500 page: a test asserting that some text is
    # absent from a page must not pass on a page that crashed.
    def crash() -> None:
        raise RuntimeError(SECRET)

    cast(FastAPI, client.app).add_api_route(PAGE, crash)
    with pytest.raises(RuntimeError, match=SECRET):
        client.get(PAGE)


def test_what_a_failed_route_wrote_into_the_session_is_not_kept(crashing: TestClient) -> None:
    assert crashing.get(SESSION_CRASH).status_code == 500
    assert crashing.get(SESSION_READ).json() == {"written": False}


def _logged_request(caplog: pytest.LogCaptureFixture, request_id: str) -> logging.LogRecord:
    (line,) = [
        record
        for record in caplog.records
        if record.name == "pux.request" and getattr(record, "request_id", None) == request_id
    ]
    return line


@pytest.mark.parametrize("path", [PAGE, API])
def test_a_defect_is_answered_with_the_security_headers_and_a_request_id(
    crashing: TestClient, caplog: pytest.LogCaptureFixture, path: str
) -> None:
    with caplog.at_level(logging.INFO):
        answer = crashing.get(path)
    assert answer.status_code == 500
    assert answer.headers["content-security-policy"] == PAGE_POLICY  # frame-ancestors 'none' among it
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["referrer-policy"] == "same-origin"
    assert answer.headers["x-frame-options"] == "DENY"
    request_id = answer.headers["x-request-id"]
    assert request_id
    if path == API:
        assert answer.json()["request_id"] == request_id
    else:
        assert f"Quote this reference to the administrator: {request_id}" in answer.text
    assert SECRET not in answer.text and "Traceback" not in answer.text and "RuntimeError" not in answer.text
    assert getattr(_logged_request(caplog, request_id), "status", None) == 500
    # The error itself is logged for the operator, under the same id.
    (error,) = [record for record in caplog.records if record.name == "pux.web" and record.exc_info]
    assert getattr(error, "request_id", None) == request_id


def test_the_error_page_is_in_the_readers_language(crashing: TestClient) -> None:
    answer = crashing.get(PAGE, headers={"Accept-Language": "fr"})
    assert answer.status_code == 500 and '<html lang="fr"' in answer.text


def test_a_proxys_request_id_is_the_one_quoted(
    crashing: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO):
        answer = crashing.get(PAGE, headers={"X-Request-ID": "proxy-7f3a"})
    assert answer.headers["x-request-id"] == "proxy-7f3a"
    assert "Quote this reference to the administrator: proxy-7f3a" in answer.text
    assert getattr(_logged_request(caplog, "proxy-7f3a"), "status", None) == 500
