"""Jobs: asked for (permission checked, audited), listed for facilitators, and run, whoever runs them.

``execute`` is the one way a job runs, in the app's own thread (embedded SQLite) or in a `pux worker`
(procrastinate on PostgreSQL): it marks the job running, runs its kind with the requester's rights, and
records how it went. A failure that may pass (a lost connection, a busy database, a killed process) is
tried again after a wait that grows with each attempt; one that will not (no right to do it, rules that
cannot be met) fails at once, its message kept for the job page.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from pux.accounts import permissions
from pux.accounts import repository as accounts_repository
from pux.accounts import service as accounts_service
from pux.accounts.permissions import Actor, require
from pux.accounts.service import actor_for
from pux.audit import service as audit
from pux.db import as_utc, unit_of_work
from pux.errors import DomainError, InvalidTransition, NotFound, ValidationFailed
from pux.i18n import gettext as _
from pux.i18n import language_context
from pux.jobs import repository
from pux.jobs.kinds import KINDS, HeldElsewhere, JobContext, JobKind
from pux.jobs.models import DONE, FAILED, QUEUED, RUNNING, Job
from pux.pagination import Page, PageRequest, fetch_page
from pux.processes import running_here

LOGGER = logging.getLogger(__name__)
ENTITY = "job"
# Set on a session that queued jobs: the ids the queue is told of once the session commits.
QUEUED_IN_SESSION = "pux_jobs_queued"
MAX_ATTEMPTS = 3


@dataclass(frozen=True)
class RunPolicy:
    """How jobs run here: where they keep files, how long the first retry waits (each later one four
    times longer), and when a silent runner counts as gone."""

    files_dir: Path
    retry_seconds: float = 10.0
    stalled_seconds: float = 30.0

    def retry_at(self, attempts: int, now: datetime) -> datetime:
        return now + timedelta(seconds=self.retry_seconds * 4 ** max(attempts - 1, 0))


def this_runner() -> str:
    """Who runs a job: this machine, process and thread."""
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"[:200]


def _now() -> datetime:
    return datetime.now(UTC)


# --- Asking for a job, and seeing how it goes ------------------------------------------------------------


def enqueue(session: Session, *, actor: Actor, kind: str, params: dict[str, Any], language: str) -> Job:
    """Queue a job of ``kind`` for ``actor`` (who must be allowed to ask for it). The queue hears of it
    when this session commits: a job is never run from a transaction that may still roll back."""
    job_kind = KINDS.get(kind)
    if job_kind is None:
        raise NotFound(_("No such kind of job."))
    require(job_kind.may_request(actor), _("You may not start this job."))
    job = repository.add(
        session,
        Job(
            kind=kind,
            params={**params, "language": language},
            status=QUEUED,
            requested_by=actor.label,
            requested_by_id=actor.user_id,
            run_after=_now(),
            attempts=0,
            max_attempts=MAX_ATTEMPTS,
        ),
    )
    _audit(session, actor.label, "job.queue", job)
    _tell_queue(session, job)
    return job


def _shown(job: Job) -> dict[str, Any]:
    """What the audit keeps of a job (its parameters but not the server paths of an upload; its error and
    what it made, once there are)."""
    params = {key: value for key, value in job.params.items() if key != "path"}
    shown = {"kind": job.kind, "params": params, "status": job.status, "attempts": job.attempts}
    return {
        **shown,
        **({"error": job.error} if job.error else {}),
        **({"result": job.result} if job.result else {}),
    }


def _audit(session: Session, actor: str, action: str, job: Job, before: dict[str, Any] | None = None) -> None:
    audit.record(
        session,
        actor=actor,
        action=action,
        entity_type=ENTITY,
        entity_id=str(job.id),
        before=before,
        after=_shown(job),
    )


def _tell_queue(session: Session, job: Job) -> None:
    """The queue hears of the job once this session commits (pux.jobs.queue)."""
    session.info.setdefault(QUEUED_IN_SESSION, []).append(job.id)


def list_jobs(session: Session, *, actor: Actor, page: PageRequest) -> Page[Job]:
    """Facilitators see every job; anyone else signed in, the jobs they asked for."""
    require(actor.is_authenticated, _("Sign in to see jobs."))
    statement = repository.listing(everyone=permissions.can_run_jobs(actor), requested_by_id=actor.user_id)
    return fetch_page(session, statement, page)


def under_way(session: Session, *, actor: Actor, kind: str) -> Sequence[Job]:
    """The jobs of ``kind`` still queued or running that the actor may see (newest first)."""
    if not actor.is_authenticated:
        return []
    return repository.under_way(
        session, kind=kind, everyone=permissions.can_run_jobs(actor), requested_by_id=actor.user_id
    )


@dataclass(frozen=True)
class NoRunnerSeen:
    """Jobs wait, and no runner has been seen for longer than the stalled time: none since ``last_seen``,
    or none ever (None). ``queued``: some of them wait to be taken; ``stopped``: some are marked running,
    but their runner is silent too (it stopped, and nothing takes them up until a runner starts)."""

    last_seen: datetime | None
    queued: bool = True
    stopped: bool = False


def no_runner_for_jobs(
    session: Session, *, actor: Actor, policy: RunPolicy, runner_here: bool
) -> NoRunnerSeen | None:
    """For the jobs page: whether the jobs the actor sees wait for a runner nobody has seen lately (a
    round queued with no `pux worker` running said "Waiting for a runner to take it" for as long as
    anyone watched; a job whose only worker was killed stayed "running", its takeover promised, until
    someone started one). ``runner_here``: this process's own runner is alive, and takes them."""
    if runner_here or not actor.is_authenticated:
        return None
    everyone = permissions.can_run_jobs(actor)
    statuses = repository.unfinished_statuses(session, everyone=everyone, requested_by_id=actor.user_id)
    return _no_runner_seen(session, policy, statuses)


def no_runner_for_job(
    session: Session, *, job: Job, policy: RunPolicy, runner_here: bool
) -> NoRunnerSeen | None:
    """For a job's page: whether it waits for a runner nobody has seen lately, to take it or to take it
    up again."""
    if runner_here:
        return None
    return _no_runner_seen(session, policy, {job.status})


def _no_runner_seen(session: Session, policy: RunPolicy, statuses: set[str]) -> NoRunnerSeen | None:
    # A runner at work beats every third of the stalled time, and on PostgreSQL an idle `pux worker`
    # too: silent for longer, none is there (or every one is stuck). A running job counts as waiting
    # then: its own runner is among the silent ones, so it is a stopped one's.
    if not statuses & {QUEUED, RUNNING}:
        return None
    last_seen = repository.last_runner_sign(session)
    if last_seen is not None and _now() - last_seen <= timedelta(seconds=policy.stalled_seconds):
        return None
    return NoRunnerSeen(last_seen, queued=QUEUED in statuses, stopped=RUNNING in statuses)


def requester_names(session: Session, jobs: Sequence[Job]) -> dict[str, str]:
    """Who asked for each job, by name (a command's jobs by the command's label)."""
    return accounts_service.display_names(session, [job.requested_by for job in jobs])


def get_job(session: Session, *, actor: Actor, job_id: int) -> Job:
    job = repository.get(session, job_id)
    if job is None or not permissions.can_view_job(actor, requested_by_id=job.requested_by_id):
        raise NotFound(_("No such job."))
    return job


def retry(session: Session, *, actor: Actor, job_id: int) -> Job:
    """Queue a failed job again, its attempts counted afresh (after the cause was mended)."""
    job = get_job(session, actor=actor, job_id=job_id)
    require(KINDS[job.kind].may_request(actor), _("You may not start this job."))
    if job.status != FAILED:
        raise InvalidTransition(_("Only a failed job can be tried again."))
    before = _shown(job)
    job.status, job.attempts, job.error, job.run_after, job.queue_job_id = QUEUED, 0, None, _now(), None
    job.finished_at = None
    _audit(session, actor.label, "job.retry", job, before)
    _tell_queue(session, job)
    return job


def job_file(session: Session, *, actor: Actor, job_id: int, policy: RunPolicy) -> Path:
    """The file a finished job made (the ZIP of every country's brief), for whoever may see the job."""
    job = get_job(session, actor=actor, job_id=job_id)
    name = (job.result or {}).get("file")
    path = policy.files_dir / "jobs" / str(job.id) / str(name or "")
    if job.status != DONE or not name or not path.is_file():
        raise NotFound(_("This job has no file to download."))
    return path


# --- Running ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """How one attempt ended: done, failed for good, queued again (``retry_at``), or not run at all
    (another runner has the job, or it had already ended)."""

    status: str
    retry_at: datetime | None = None


SKIPPED = Outcome("skipped")
# Delivered again while its runner still says it is alive (a queue that took a slow runner for a stopped
# one): not run twice; asked again once that runner would count as stopped.
HELD = "held"
# How long after a silent runner counts as stopped a held job is asked again (the claim wants its runner
# silent for longer than the stalled time, not just as long).
HELD_MARGIN = timedelta(seconds=1)


def execute(
    factory: sessionmaker[Session], job_id: int, *, policy: RunPolicy, redelivered: bool = False
) -> Outcome:
    """Run one attempt of the job. ``redelivered``: the queue hands over a job it gave to a runner that
    stopped (so "running" is no obstacle once that runner has been silent for the stalled time)."""
    runner, now = this_runner(), _now()
    silent_since = now - timedelta(seconds=policy.stalled_seconds) if redelivered else None
    with unit_of_work(factory, write=True) as session:
        if not repository.claim(session, job_id, runner=runner, now=now, silent_since=silent_since):
            if (used_up := repository.used_up(session, job_id, silent_since=silent_since)) is not None:
                return _give_up(session, used_up, now)
            held = repository.get(session, job_id)
            if redelivered and held is not None and held.status == RUNNING:
                return Outcome(HELD, retry_at=_when_silent_long_enough(held, policy, now))
            return SKIPPED
        job = repository.get(session, job_id)
        assert job is not None
        kind, params, attempts = KINDS.get(job.kind), dict(job.params), job.attempts
        actor = _actor_of(session, job)
    if kind is None:
        return _fail(factory, job_id, runner, _("No such kind of job."), tidy=None, params=params)
    context = JobContext(job_id, actor, params, factory, policy.files_dir)
    try:
        with _heartbeat(factory, job_id, runner, policy), language_context(str(params.get("language", "en"))):
            result = kind.run(context)
    except HeldElsewhere as held:
        again_at = _now() + timedelta(seconds=policy.retry_seconds)
        return _wait_for_other(factory, job_id, runner, str(held), again_at)
    except DomainError as refused:
        return _fail(
            factory, job_id, runner, _refusal_text(refused), tidy=kind.tidy, params=params, refused=True
        )
    except Exception as error:
        LOGGER.exception("job %s (%s) attempt %s failed", job_id, kind.code, attempts)
        message = f"{type(error).__name__}: {error}"[:4000]
        if attempts >= job.max_attempts:
            return _fail(factory, job_id, runner, message, tidy=kind.tidy, params=params)
        return _again(factory, job_id, runner, message, policy.retry_at(attempts, _now()))
    return _done(factory, job_id, runner, result, kind)


def _give_up(session: Session, job: Job, now: datetime) -> Outcome:
    """Fail a job whose every attempt was stopped before its end, as it stands: refusing it is neither an
    attempt nor a start (a job failed so showed "Attempts 4 / 3", and its refusal as its last start).
    Its kind tidies after it at once: the job fails whether or not this session commits."""
    before = _shown(job)
    job.status, job.finished_at = FAILED, now
    job.error = _("The job stopped before its end on every attempt (its process was ended).")
    _audit(session, job.requested_by, "job.fail", job, before)
    kind = KINDS.get(job.kind)
    if kind is not None and kind.tidy is not None:
        kind.tidy(dict(job.params))
    return Outcome(FAILED)


def _when_silent_long_enough(held: Job, policy: RunPolicy, now: datetime) -> datetime:
    """When a job held by a runner that still said it was alive, last at its heartbeat, may be taken: once
    that runner has been silent for the stalled time. Asked then, not a whole stalled time from now (a
    queue that redelivers a killed runner's job a little early would otherwise wait up to twice the
    stalled time); a runner still alive says so meanwhile, and is asked about again."""
    beat = as_utc(held.heartbeat_at)
    if beat is None:
        return now + timedelta(seconds=policy.stalled_seconds)
    return max(beat + timedelta(seconds=policy.stalled_seconds) + HELD_MARGIN, now + HELD_MARGIN)


def _refusal_text(refused: DomainError) -> str:
    """A refusal in the words its reader needs: a form's problems without the form's field codes (the job
    page has no form; its link back leads to one)."""
    if isinstance(refused, ValidationFailed):
        return " ".join(problem.message for problem in refused.problems)
    return str(refused)


def _actor_of(session: Session, job: Job) -> Actor:
    """The requester as they are now (a role taken away since stops the job); a command's system actor."""
    if job.requested_by_id is None:
        return Actor.system(job.requested_by)
    user = accounts_repository.get_user(session, job.requested_by_id)
    return actor_for(user) if user is not None and user.is_active else Actor.public()


def _finish(
    factory: sessionmaker[Session], job_id: int, runner: str, action: str, **values: Any
) -> Job | None:
    """Record the end of an attempt, if this runner still holds the job (one that was given to another
    runner meanwhile is that runner's to record)."""
    with unit_of_work(factory, write=True) as session:
        job = repository.get(session, job_id)
        if job is None or job.runner != runner or job.status != RUNNING:
            return None
        before = _shown(job)
        for name, value in values.items():
            setattr(job, name, value)
        _audit(session, job.requested_by, action, job, before)
        return job


def _done(
    factory: sessionmaker[Session], job_id: int, runner: str, result: dict[str, Any], kind: JobKind
) -> Outcome:
    job = _finish(
        factory, job_id, runner, "job.done", status=DONE, result=result, error=None, finished_at=_now()
    )
    if job is not None and kind.tidy:
        kind.tidy(job.params)
    return Outcome(DONE)


def _fail(
    factory: sessionmaker[Session],
    job_id: int,
    runner: str,
    message: str,
    *,
    tidy: Any,
    params: dict[str, Any],
    refused: bool = False,
) -> Outcome:
    """The job ends failed. ``refused``: PUX refused it (rules no allocation can meet, no right to do it),
    which the same job asked again would meet again; recorded so that its page offers no "try again"."""
    job = _finish(
        factory, job_id, runner, "job.fail", status=FAILED, error=message, finished_at=_now(),
        result={"refused": True} if refused else None,
    )  # fmt: skip
    if job is not None and tidy:
        tidy(params)
    return Outcome(FAILED)


def _again(factory: sessionmaker[Session], job_id: int, runner: str, message: str, when: datetime) -> Outcome:
    _finish(factory, job_id, runner, "job.retry_later", status=QUEUED, error=message, run_after=when)
    return Outcome(QUEUED, retry_at=when)


def _wait_for_other(
    factory: sessionmaker[Session], job_id: int, runner: str, message: str, when: datetime
) -> Outcome:
    """Another runner is doing the job's work now: queued again for ``when``, the attempt not counted (a
    long import under way elsewhere must not use up the job's attempts). Not audited: a job may wait
    so, asking every few seconds, for as long as a big import runs; its page shows why it waits."""
    with unit_of_work(factory, write=True) as session:
        job = repository.get(session, job_id)
        if job is not None and job.runner == runner and job.status == RUNNING:
            job.status, job.error, job.run_after = QUEUED, message, when
            job.attempts = max(job.attempts - 1, 0)
    return Outcome(QUEUED, retry_at=when)


@contextmanager
def _heartbeat(factory: sessionmaker[Session], job_id: int, runner: str, policy: RunPolicy) -> Iterator[None]:
    """While the job runs, say so every third of the stalled time (so no other runner takes it up)."""
    stop = threading.Event()

    def beat() -> None:
        while not stop.wait(policy.stalled_seconds / 3):
            try:
                with unit_of_work(factory, write=True) as session:
                    repository.beat(session, job_id, runner=runner, now=_now())
            except Exception:  # a busy database skips a beat; the next one comes soon
                LOGGER.warning("job %s: heartbeat skipped", job_id, exc_info=True)

    thread = threading.Thread(target=beat, name=f"pux-job-{job_id}-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def unfinished(factory: sessionmaker[Session]) -> bool:
    """Whether any job is still queued (due or waiting for a retry) or running."""
    with unit_of_work(factory) as session:
        return repository.unfinished(session)


def next_due(factory: sessionmaker[Session]) -> int | None:
    with unit_of_work(factory) as session:
        return repository.next_due(session, now=_now())


def requeue_stalled(factory: sessionmaker[Session], *, policy: RunPolicy) -> list[int]:
    """Running jobs whose runner has gone silent (its process was killed) go back to the queue, to be
    taken up again; the attempt they were on counts. Looked for with a read first: an idle runner's poll
    never takes SQLite's write lock."""
    silent_since = _now() - timedelta(seconds=policy.stalled_seconds)
    with unit_of_work(factory) as session:
        if not [
            job
            for job in repository.stalled(session, silent_since=silent_since)
            if not running_here(job.runner)
        ]:
            return []
    taken_up = []
    with unit_of_work(factory, write=True) as session:
        for job in repository.stalled(session, silent_since=silent_since, lock=True):
            if running_here(job.runner):
                continue  # a job that holds SQLite's write lock longer than a beat waits is slow, not gone
            before = _shown(job)
            job.status, job.run_after, job.runner = QUEUED, _now(), None
            job.error = _("Its runner stopped during attempt {number}: taken up again.").format(
                number=job.attempts
            )
            _audit(session, "system:jobs", "job.requeue", job, before)
            taken_up.append(job.id)
    return taken_up


def not_handed_over(factory: sessionmaker[Session], *, older_than: float) -> list[int]:
    with unit_of_work(factory) as session:
        return list(
            repository.not_handed_over(session, created_before=_now() - timedelta(seconds=older_than))
        )


def handed_over(factory: sessionmaker[Session], job_id: int, queue_job_id: int) -> None:
    with unit_of_work(factory, write=True) as session:
        repository.set_queue_id(session, job_id, queue_job_id)


def was_refused(job: Job) -> bool:
    """Whether the job failed because PUX refused what it asked (not because something broke)."""
    return job.status == FAILED and bool((job.result or {}).get("refused"))


def is_stalled(job: Job, *, policy: RunPolicy) -> bool:
    """For the job page: running, but its runner has been silent for longer than the stalled time."""
    beat = as_utc(job.heartbeat_at)
    return job.status == RUNNING and (
        beat is None or _now() - beat > timedelta(seconds=policy.stalled_seconds)
    )
