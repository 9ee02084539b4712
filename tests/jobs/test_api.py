"""Jobs through the JSON API: a facilitator queues a round, follows the job to its end and reads the round;
others may not queue it or see it; bad rules are refused before anything is queued."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pux.jobs.models import DONE, QUEUED, Job
from tests.web_helpers import bearer, run_queued_jobs
from tests.world import World, kenya_grant_programme

ROUND_JOBS = "/api/v1/matching/round-jobs"


def _jobs(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Job)) or 0


def test_a_facilitator_queues_a_round_follows_its_job_and_reads_the_round(
    client: TestClient, session: Session, world: World
) -> None:
    programme_id = kenya_grant_programme(session, world)
    facilitator = bearer(world.tokens["facilitator"])
    asked = client.post(
        ROUND_JOBS,
        json={"title": "Round from the API", "country_cap_share": 0.5, "programme_ids": [programme_id]},
        headers=facilitator,
    )
    assert asked.status_code == 202, asked.text
    job = asked.json()
    assert asked.headers["location"] == f"/api/v1/jobs/{job['id']}"
    assert (job["kind"], job["status"], job["result_url"]) == ("matching.round", QUEUED, None)
    assert client.get(asked.headers["location"], headers=facilitator).json()["status"] == QUEUED
    assert run_queued_jobs(client) == [DONE]
    ended = client.get(asked.headers["location"], headers=facilitator).json()
    assert (ended["status"], ended["attempts"], ended["error"]) == (DONE, 1, None)
    assert ended["result_url"] == f"/api/v1/matching/rounds/{ended['result']['round_id']}"
    round_read = client.get(ended["result_url"], headers=facilitator).json()
    assert round_read["title"] == "Round from the API"
    # Only the programme asked for takes part.
    assert round_read["proposals"] and {p["programme_id"] for p in round_read["proposals"]} == {programme_id}
    listed = client.get("/api/v1/jobs", headers=facilitator).json()
    assert listed["items"][0]["id"] == job["id"] and listed["total"] >= 1


def test_only_facilitators_queue_rounds_and_bad_rules_queue_nothing(
    client: TestClient, session: Session, world: World
) -> None:
    before = _jobs(session)
    rules = {"title": "Not mine to run", "country_cap_share": 0.5}
    assert client.post(ROUND_JOBS, json=rules).status_code == 401  # without a token: one is needed
    for role in ("partner_a", "focal_ken", "expert"):
        refused = client.post(ROUND_JOBS, json=rules, headers=bearer(world.tokens[role]))
        assert refused.status_code == 403, role
    facilitator = bearer(world.tokens["facilitator"])
    for bad in ({"country_cap_share": 1.5}, {"ldc_floor_share": -0.1}, {"mip_time_limit": 0}):
        answer = client.post(ROUND_JOBS, json={**rules, **bad}, headers=facilitator)
        assert answer.status_code == 422, bad
        assert next(iter(bad)) in str(answer.json()), bad  # the field is named
    assert _jobs(session) == before


def test_a_job_is_seen_by_whoever_asked_for_it_and_by_facilitators_only(
    client: TestClient, session: Session, world: World
) -> None:
    asked = client.post(
        ROUND_JOBS, json={"country_cap_share": 0.5}, headers=bearer(world.tokens["facilitator"])
    )
    location = asked.headers["location"]
    assert client.get(location, headers=bearer(world.tokens["admin"])).status_code == 200
    for role in ("partner_a", "focal_ken"):
        assert client.get(location, headers=bearer(world.tokens[role])).status_code == 404, role
        mine = client.get("/api/v1/jobs", headers=bearer(world.tokens[role])).json()
        assert asked.json()["id"] not in [item["id"] for item in mine["items"]], role
    assert client.get(location).status_code == 404
