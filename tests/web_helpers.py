"""Helpers for driving the pages like a browser (CSRF tokens, signing in) and the API like a client (a
bearer token, a read record put back), and for counting what a record's history holds."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from fastapi.testclient import TestClient
from pydantic import BaseModel
from sqlalchemy.orm import Session

from pux.audit import service as audit
from tests.world import PASSWORD

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_token(client: TestClient, path: str = "/sign-in") -> str:
    page = client.get(path)
    match = CSRF.search(page.text)
    assert match, f"no CSRF token on {path} ({page.status_code})"
    return match.group(1)


def sign_in(client: TestClient, email: str, password: str = PASSWORD) -> None:
    token = csrf_token(client)
    response = client.post(
        "/sign-in",
        data={"email": email, "password": password, "csrf_token": token, "next": "/"},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text[:500]


def signs_in(client: TestClient, email: str, password: str = PASSWORD) -> bool:
    """Whether the sign-in form lets this person in (a refusal is an answer, not a failed test)."""
    answer = client.post(
        "/sign-in",
        data={"email": email, "password": password, "next": "/", "csrf_token": csrf_token(client)},
        follow_redirects=False,
    )
    return answer.status_code == 303


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def update_fields(read: Mapping[str, Any], schema: type[BaseModel]) -> dict[str, Any]:
    """A record as the API read it, cut to the fields its update schema takes: what a client PUTs back."""
    return {key: value for key, value in read.items() if key in schema.model_fields}


def history_length(session: Session, entity_type: str, entity_id: int) -> int:
    """How many entries a record's history holds (each create, update or transition recorded for it)."""
    return len(audit.history(session, entity_type=entity_type, entity_id=str(entity_id)))


def run_queued_jobs(client: TestClient) -> list[str]:
    """Run every due job the test's requests queued, with the real executor, in the test's transaction
    (where the app's runner thread cannot see them); the outcomes, in order."""
    from pux.jobs import service as jobs
    from pux.jobs.queue import policy_for

    app = client.app
    factory, policy = app.state.session_factory, policy_for(app.state.settings)  # type: ignore[attr-defined]
    outcomes = []
    while (job_id := jobs.next_due(factory)) is not None:
        outcomes.append(jobs.execute(factory, job_id, policy=policy).status)
    return outcomes
