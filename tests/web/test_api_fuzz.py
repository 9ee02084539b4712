"""Schemathesis over the whole JSON API description, against the real ASGI app on the test database.

For the anonymous caller and a bearer token of each role of the world, Schemathesis reads
/api/v1/openapi.json from the app and runs its examples and fuzzing phases (and, for COVERAGE_ROLES,
the coverage phase) with a fixed seed, deterministic generation and a bounded number of examples per
operation, checking every response:

- not_a_server_error: no 5xx (an exception escaping the app counts too);
- status_code_conformance: only the statuses the operation documents;
- content_type_conformance and response_schema_conformance: the documented media type and body;
- positive_data_acceptance: a request valid by the schema is not refused as malformed (400/422).

The app runs in one database transaction per role that is rolled back at the end (as the `client`
fixture does), so the records it creates, edits and moves through their workflows never reach the
world the other tests read.

Left out, each for a stated reason: positive_data_acceptance for the operations in
POSITIVE_DATA_EXCEPTIONS, whose domain rules refuse well-formed data the schema cannot describe; control
characters, NUL and lone surrogates in generated text, which PUX refuses by rule (clean_text); the
stateful phase (sequences of calls), which would multiply the run time.
"""

from __future__ import annotations

import gc
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
import schemathesis
from fastapi import FastAPI
from schemathesis.engine import events, from_schema
from schemathesis.python import asgi
from sqlalchemy.orm import Session, sessionmaker

from pux.config import Settings
from pux.web.app import create_app
from pux.web.deps import get_session
from tests.world import World

SEED = 1
# Examples per operation in the fuzzing phase (the coverage phase adds its own boundary cases).
MAX_EXAMPLES = 5
ROLES = (
    "anonymous",
    "admin",
    "facilitator",
    "focal_ken",
    "counterpart_ken",
    "partner_a",
    "officer_b",
    "expert",
)
# The coverage phase (every boundary value of every parameter, ~2,700 calls) runs for these two; the
# other roles run the examples and fuzzing phases, which is where their permissions make a difference.
COVERAGE_ROLES = ("anonymous", "admin")
CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
    "positive_data_acceptance",
)
# Operations whose domain rules refuse (422) data the JSON schema cannot describe; only the
# positive_data_acceptance check is turned off for them, every other check still runs.
_CODES = "reference codes and record ids it must know (country, area, technique, SDG, organisation)"
POSITIVE_DATA_EXCEPTIONS: dict[str, str] = {
    "POST /api/v1/needs": _CODES,
    "PUT /api/v1/needs/{need_id}": _CODES,
    "POST /api/v1/programmes": _CODES,
    "PUT /api/v1/programmes/{programme_id}": _CODES,
    "POST /api/v1/activities": _CODES,
    "PUT /api/v1/activities/{activity_id}": _CODES,
    "GET /api/v1/needs": "its filters name reference codes (country, region, area, SDG, income group)",
    "GET /api/v1/needs/export": "the filters of GET /api/v1/needs",
    "GET /api/v1/search": "its SDG filter must be a goal (1-17) or one of its targets",
    "GET /api/v1/gaps": "its filters name reference codes; the period ends after it starts; a stated "
    "exchange rate needs its year and source",
    "GET /api/v1/gaps/countries/{iso3}": "the period ends after it starts; a stated exchange rate needs its "
    "year and source",
    "GET /api/v1/gaps/who": "the period ends after it starts",
    "GET /api/v1/gaps/by-goal-and-technique": "its filters name reference codes; the period ends after it "
    "starts; a stated exchange rate needs its year and source",
    "GET /api/v1/gaps/over-time": "its filters name reference codes; the years run from 1900 to 2199, at "
    "most 50 of them, the end after the start; a stated exchange rate needs its year and source",
    "GET /api/v1/unfunded": "the highest cost is not below the lowest",
    "POST /api/v1/needs/{need_id}/interest": "the need must still wait for a partner, for an organisation "
    "the caller represents",
    "GET /api/v1/map/{indicator}": "its area filter names a thematic area; the period ends after it starts",
    "POST /api/v1/needs/{need_id}/transitions": "the target must be a move the workflow allows now",
    "PUT /api/v1/countries/{iso3}/needs/ranking": "the ids are exactly the country's rankable needs",
    "POST /api/v1/matching/rounds": "the rules may be infeasible together (an LDC floor no budget can meet); "
    "the programmes named must be open to matching",
    "POST /api/v1/matching/round-jobs": "the programmes named must be open to matching",
    "POST /api/v1/{entity}/import": "the file is a CSV or xlsx table whose rows are checked like the forms",
    "POST /api/v1/activities/import/iati": "the file must be IATI activity XML; the countries named must "
    "be known",
    "PUT /api/v1/priority/config": "its revision must be the one in force; its indicator codes, income "
    "groups and country groups must be known",
    "POST /api/v1/events": _CODES + "; an IANA time zone; a host country unless online; end after start",
    "PUT /api/v1/events/{event_id}": _CODES + "; an IANA time zone; a host country unless online",
    "POST /api/v1/events/{event_id}/participants": "a person in PUX, or a new person's name and email",
    "POST /api/v1/participants/{participant_id}/moves": "a move the nomination chain allows now",
    "POST /api/v1/participants/{participant_id}/travel-application": "some money asked for, once per person",
    "POST /api/v1/events/{event_id}/travel/allocate": "the event must have a travel-support budget",
    "PUT /api/v1/events/{event_id}/outcome": _CODES,
    "POST /api/v1/events/{event_id}/actions": "an owner (a person or an organisation) that exists",
    "POST /api/v1/recommendations/{recommendation_id}/concept-notes": _CODES + "; an amount the number "
    "form allows (the schema describes a decimal's string form as any text)",
    "PUT /api/v1/concept-notes/{note_id}": _CODES + "; an amount the number form allows",
    "POST /api/v1/concept-notes/{note_id}/conversion": "the version read now, of a complete concept note "
    "(problem, objective, outputs and activities written) not converted yet",
    "POST /api/v1/actions/{action_id}/progress": "a change of status, or a note saying what progressed",
    "POST /api/v1/evidence": _CODES + "; a key no other entry has",
    "PUT /api/v1/evidence/{entry_id}": _CODES,
    "POST /api/v1/evidence/{entry_id}/check": "the version read now; never the entry's own author",
    "POST /api/v1/evidence/{entry_id}/dispute": "the version read now; never the entry's own author",
}
# Text PUX refuses by rule whatever the schema says (pux.validation.clean_text): control characters
# other than tab and line breaks. Generated bodies get them replaced, so the rest of the text is tested.
_REFUSED_CONTROLS = (
    {code: "x" for code in range(32) if chr(code) not in "\t\n\r"}
    | {127: "x"}
    | {code: "x" for code in range(0x80, 0xA0)}
)


def _without_refused_controls(value: object) -> object:
    if isinstance(value, str):
        return value.translate(_REFUSED_CONTROLS)
    if isinstance(value, list):
        return [_without_refused_controls(item) for item in value]
    if isinstance(value, dict):
        return {key: _without_refused_controls(item) for key, item in value.items()}
    return value


@dataclass
class Outcome:
    calls: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    seconds: Counter[str] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)


def _config(role: str, world: World) -> schemathesis.Config:
    operations = [
        {"include-name": name, "checks": {"positive_data_acceptance": {"enabled": False}}}
        for name in POSITIVE_DATA_EXCEPTIONS
    ]
    data: dict[str, object] = {
        "seed": SEED,
        "generation": {
            "max-examples": MAX_EXAMPLES,
            "deterministic": True,
            "database": "none",
            # Lone surrogates and NUL: refused by rule (clean_text), like the controls above.
            "codec": "utf-8",
            "allow-x00": False,
        },
        "phases": {
            "examples": {"enabled": True},
            "coverage": {"enabled": role in COVERAGE_ROLES},
            "fuzzing": {"enabled": True},
            "stateful": {"enabled": False},
        },
        "checks": {"enabled": False, **{name: {"enabled": True} for name in CHECKS}},
        "operations": operations,
    }
    if role != "anonymous":
        data["headers"] = {"Authorization": f"Bearer {world.tokens[role]}"}
    return schemathesis.Config.from_dict(data)


@pytest.fixture
def rolled_back_app(database_url: str, world: World) -> Iterator[FastAPI]:
    """The real app whose every request works in one transaction that is rolled back afterwards."""
    app = create_app(Settings(database_url=database_url))
    with app.state.engine.connect() as connection:
        transaction = connection.begin()
        session = Session(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)

        def test_session() -> Iterator[Session]:
            # As get_session: a failed request's work is undone (here: back to its savepoint).
            try:
                yield session
                session.flush()
            except BaseException:
                session.rollback()
                raise

        app.dependency_overrides[get_session] = test_session
        app.state.session_factory = sessionmaker(
            bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
        )
        try:
            yield app
        finally:
            session.close()
            transaction.rollback()
    # The app's lifespan (started by Schemathesis) disposes its engine: only once the connection is back.
    asgi.shutdown_lifespans()
    app.state.engine.dispose()
    # On PostgreSQL one psycopg connection per run is still found unclosed by the garbage collector (cause
    # not yet found, see the mark below): collected here so that it is reported in this test, not a later one.
    gc.collect()


def _run(app: FastAPI, config: schemathesis.Config) -> Outcome:
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app, config=config)
    labels = {
        f"{method.upper()} {path}" for path, item in schema.raw_schema["paths"].items() for method in item
    }
    assert set(POSITIVE_DATA_EXCEPTIONS) <= labels, "an exception names an operation the API no longer has"

    @schema.hook("map_body")
    def _clean(context: schemathesis.HookContext, body: object) -> object:
        return _without_refused_controls(body)

    outcome = Outcome()
    seen: set[tuple[str, str]] = set()
    for event in from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            outcome.seconds[event.recorder.label] += event.elapsed_time
            for interaction in event.recorder.interactions.values():
                if interaction.response is not None:
                    outcome.calls += 1
                    outcome.statuses[interaction.response.status_code] += 1
            for checks in event.recorder.checks.values():
                for check in checks:
                    info = check.failure_info
                    if info is None or (info.failure.operation, info.failure.title) in seen:
                        continue
                    seen.add((info.failure.operation, info.failure.title))
                    outcome.failures.append(
                        f"{info.failure.operation}: {info.failure.title}\n{info.failure.message}\n"
                        f"{info.code_sample}"
                    )
        elif isinstance(event, events.NonFatalError):
            outcome.failures.append(f"{event.label}: {event.info.format()}")
        elif isinstance(event, events.FatalError):
            outcome.failures.append(f"fatal: {event.exception!r}")
    return outcome


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.filterwarnings(
    "ignore:Exception ignored in. <function BaseConnection.__del__:pytest.PytestUnraisableExceptionWarning"
)
def test_api_conforms_to_its_description(
    role: str, rolled_back_app: FastAPI, world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    started = time.monotonic()
    outcome = _run(rolled_back_app, _config(role, world))
    summary = (
        f"schemathesis {schemathesis.__version__} seed {SEED} max-examples {MAX_EXAMPLES} as {role}: "
        f"{outcome.calls} calls in {time.monotonic() - started:.0f} s, "
        f"statuses {dict(sorted(outcome.statuses.items()))}"
    )
    slowest = ", ".join(f"{label} {seconds:.0f} s" for label, seconds in outcome.seconds.most_common(4))
    with capsys.disabled():
        print(f"\n{summary}; slowest: {slowest}")
    assert outcome.calls > 0
    assert not outcome.failures, summary + "\n\n" + "\n\n".join(outcome.failures)
