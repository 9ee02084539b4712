"""IATI import and export: permission checks, the batches, the report, the audit trail.

An import reads the file twice. The first pass (``reader.scan``) only checks that the whole file is
well-formed IATI XML and counts its activities, so a truncated or hostile file is refused before
anything is written. The second pass validates each activity (XSD, then PUX's rules), keeps the
relevant ones and writes them in batches, each batch one transaction that also records how far the
run got: a run stopped half way (even killed) is continued by running the same import again.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import secrets
import socket
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import IO, Any, BinaryIO

from sqlalchemy.orm import Session, sessionmaker

from pux.accounts import permissions
from pux.accounts.models import Organisation
from pux.accounts.permissions import Actor, require
from pux.assistance import repository as assistance_repository
from pux.assistance import service as assistance
from pux.assistance.models import (
    AssistanceActivity,
    IatiImportRun,
    IatiNarrative,
    IatiParticipatingOrganisation,
    IatiSource,
    IatiSplit,
    IatiTransaction,
)
from pux.assistance.repository import ActivityFilter
from pux.audit import repository as audit_repository
from pux.audit import service as audit
from pux.config import Settings, get_settings
from pux.db import as_utc, unit_of_work
from pux.errors import DomainError, FieldProblem, NotFound, ValidationFailed, WorkUnderway
from pux.i18n import LANGUAGES
from pux.i18n import gettext as _
from pux.interop.iati import reader, relevance, repository, rules, writer
from pux.interop.iati.codelists import (
    ACTIVITY_STATUS_TO_PUX,
    DEFAULT_PUX_ORGANISATION_TYPE,
    ORGANISATION_TYPE_TO_PUX,
    PUX_STATUS_TO_IATI,
    PUX_TYPE_TO_IATI,
    REPORTING_ORGANISATION_VOCABULARY,
)
from pux.interop.iati.records import (
    ACTUAL_END,
    ACTUAL_START,
    COMMITMENT,
    COMMITTED_TYPES,
    COUNTRY,
    DISBURSED_TYPES,
    DISBURSEMENT,
    FUNDING_ROLE,
    IMPLEMENTING_ROLE,
    INCOMING,
    OUTGOING,
    PLANNED_END,
    PLANNED_START,
    REGION,
    SECTOR,
    ActivityRecord,
    Narrative,
    OrganisationRef,
    RelatedActivity,
    Split,
    Transaction,
    pick,
)
from pux.interop.iati.relevance import Relevance, RelevanceRules
from pux.processes import gone_from_this_machine
from pux.search import indexing as search_indexing

ENTITY_RUN = "iati_import_run"
# How many refused activities a report names (the counts stay exact beyond that).
MAX_NAMED_REFUSALS = 2000
# The identifier PUX's export gives an activity recorded in PUX: "<reporting org>-PUX-<its number>".
_OWN_IDENTIFIER = re.compile(r"-PUX-([0-9]{1,10})")
PUX_REPORTING_TYPE = "90"
Progress = Callable[[int, int], None]
LOGGER = logging.getLogger(__name__)


@dataclass(frozen=True)
class Reporter:
    """The organisation this installation reports as, a secondary reporter, the activities whose provider
    has no IATI identifier (PUX_IATI_REPORTING_REF and PUX_IATI_REPORTING_NAME). Installations that kept
    the default "XI-PUX" share it, so an identifier it begins is not enough to tell this installation's
    export from another's (own_activity_read_back compares the record too)."""

    ref: str
    name: str

    @classmethod
    def of(cls, settings: Settings) -> Reporter:
        return cls(settings.iati_reporting_ref, settings.iati_reporting_name)


def this_installation() -> Reporter:
    """The reporter the environment configures (for callers not handed the app's settings: the CLI, jobs)."""
    return Reporter.of(get_settings())


class ImportUnderway(WorkUnderway):
    """The same file with the same choices is being imported right now (by this or another process)."""

    def __init__(self, run_id: int, message: str | None = None) -> None:
        super().__init__(message or _("This file is being imported already, with the same choices."))
        self.run_id = run_id


class ImportTakenOver(ImportUnderway):
    """This attempt's run was taken over by another runner (this one had looked stopped): it wrote the
    batches it finished before, and writes nothing more; the other goes on after them."""

    def __init__(self, run_id: int) -> None:
        super().__init__(run_id, _("Another process took this import over and goes on with it."))


class IatiFileRefused(DomainError):
    """The file as a whole is not IATI 2.03 XML PUX can read; nothing of it was written."""

    def __init__(self, refusal: reader.FileRefused) -> None:
        details = {
            "line": refusal.line if refusal.line is not None else "?",
            "column": refusal.column,
            "detail": refusal.detail[:200],
        }
        # The sentence people read names the place in their language; the XML parser's own (English)
        # message is kept here, in the log.
        LOGGER.info("IATI file refused: %s", refusal)
        super().__init__(rules.describe(refusal.reason, details))
        self.reason = refusal.reason
        self.line = refusal.line


@dataclass(frozen=True)
class ImportOptions:
    """Which activities of a file to import."""

    countries: tuple[str, ...] = ()  # ISO 3166 alpha-3, as PUX names countries
    sector_prefixes: tuple[str, ...] = ()
    reporting_orgs: tuple[str, ...] = ()
    everything: bool = False  # every valid activity, relevant or not
    rules_path: str | None = None
    batch_size: int = 250

    def key(self) -> dict[str, Any]:
        """What makes two runs the same run (a re-run with these continues an unfinished one)."""
        return {
            "countries": sorted(self.countries),
            "sector_prefixes": sorted(self.sector_prefixes),
            "reporting_orgs": sorted(self.reporting_orgs),
            "everything": self.everything,
            "rules_path": self.rules_path,
        }


@dataclass(frozen=True)
class Refusal:
    identifier: str
    line: int
    rule: str
    details: dict[str, str] = field(default_factory=dict)

    def message(self) -> str:
        return rules.describe(self.rule, self.details)

    def detail(self) -> str | None:
        """The schema validator's own message (English only), shown beside the sentence ``message``
        makes of it."""
        return str(self.details.get("message") or "") or None if self.rule == "schema" else None


# What becomes of an activity read: each one ends in exactly one of these outcomes. Passed over (neither
# imported nor refused), in the order _decide asks: another reporting organisation than the chosen ones,
# not about peaceful uses, outside the chosen sectors, outside the chosen countries.
OTHER_REPORTER = "other-reporter"
NOT_PEACEFUL_USES = "not-peaceful-uses"
OUTSIDE_SECTORS = "outside-sectors"
OUTSIDE_COUNTRIES = "outside-countries"
PASSED_OVER = (OTHER_REPORTER, NOT_PEACEFUL_USES, OUTSIDE_SECTORS, OUTSIDE_COUNTRIES)
REFUSED, CREATED, UPDATED, UNCHANGED = "refused", "created", "updated", "unchanged"
# Passed over by a run begun before PUX counted why (its tally does not tell the reasons apart).
PASSED_OVER_UNTOLD = "passed-over-untold"


def outcome_label(code: str) -> str:
    """An outcome in words, in the active language (as it follows a number: "12 created")."""
    labels = {
        REFUSED: lambda: _("refused (listed below with the rule each broke)"),
        OTHER_REPORTER: lambda: _("from another reporting organisation than the chosen ones"),
        NOT_PEACEFUL_USES: lambda: _(
            "not about the peaceful uses of nuclear techniques (no such sector, technique or keyword)"
        ),
        OUTSIDE_SECTORS: lambda: _("outside the chosen sectors"),
        OUTSIDE_COUNTRIES: lambda: _("outside the chosen countries"),
        CREATED: lambda: _("created"),
        UPDATED: lambda: _("updated"),
        UNCHANGED: lambda: _("unchanged (PUX has it already, in this version or a newer one)"),
        PASSED_OVER_UNTOLD: lambda: _(
            "passed over: not about peaceful uses or outside the choices (this import began before PUX "
            "counted which)"
        ),
    }
    label = labels.get(code)
    return label() if label else code


@dataclass(frozen=True)
class Outcome:
    """How many activities read ended one way."""

    code: str
    count: int

    @property
    def label(self) -> str:
        return outcome_label(self.code)


@dataclass
class ImportReport:
    run_id: int
    file_name: str
    total: int
    done: int
    read: int
    relevant: int
    new: int
    updated: int
    unchanged: int
    refused: int
    refusals: list[Refusal]
    seconds: float
    status: str
    publisher: str | None = None
    generated_at: datetime | None = None
    # Still marked running, but its process is gone or it has not moved on for STALLED_AFTER.
    stalled: bool = False
    # Activities passed over, by reason (PASSED_OVER); None for a run begun before PUX counted them.
    passed_over: dict[str, int] | None = None

    @property
    def running(self) -> bool:
        return self.status == "running" and not self.stalled

    def outcomes(self) -> list[Outcome]:
        """Where every activity read went, each in exactly one outcome: the counts add up to ``read``.
        Refused, created, updated and unchanged always; a reason for passing activities over once it
        has some."""
        tally = self.passed_over or {}
        parts = [Outcome(REFUSED, self.refused)]
        parts += [Outcome(code, tally[code]) for code in PASSED_OVER if tally.get(code)]
        parts += [Outcome(CREATED, self.new), Outcome(UPDATED, self.updated)]
        parts.append(Outcome(UNCHANGED, self.unchanged))
        untold = self.read - sum(part.count for part in parts)
        if untold:
            parts.insert(1, Outcome(PASSED_OVER_UNTOLD, untold))
        return parts

    @property
    def named_refusals_cut(self) -> bool:
        """Whether more activities were refused than the report names (MAX_NAMED_REFUSALS)."""
        return self.refused > len(self.refusals)

    @classmethod
    def of(cls, run: IatiImportRun) -> ImportReport:
        return cls(
            run_id=run.id,
            file_name=run.source.file_name,
            total=run.total_count,
            done=run.done_count,
            read=run.read_count,
            relevant=run.relevant_count,
            new=run.new_count,
            updated=run.updated_count,
            unchanged=run.unchanged_count,
            refused=run.refused_count,
            refusals=[
                Refusal(r["identifier"], int(r["line"]), r["rule"], dict(r.get("details") or {}))
                for r in run.refusals
            ],
            seconds=float(run.seconds or 0),
            status=run.status,
            publisher=run.source.publisher_name or run.source.publisher_ref,
            generated_at=run.source.generated_at,
            stalled=has_stalled(run),
            passed_over=repository.passed_over(run),
        )


# A batch takes seconds; a run with no batch finished for this long has stopped, whatever its status says.
STALLED_AFTER = timedelta(minutes=5)


def this_runner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:200]


def new_holder() -> str:
    """Who holds a run during one attempt at it: this process ("host:pid", so that a run whose process is
    gone is seen to have stopped), its thread, and a token of the attempt (so that two attempts, even of
    one thread, are never taken for each other)."""
    return f"{this_runner()}:{threading.get_ident()}:{secrets.token_hex(4)}"[:200]


def has_stalled(run: IatiImportRun) -> bool:
    """Whether a run marked running has in fact stopped: its process (on this machine) is gone, or it has
    not finished a batch for STALLED_AFTER (its process is elsewhere, or stuck)."""
    if run.status != "running":
        return False
    beat = as_utc(run.heartbeat_at) or as_utc(run.started_at)
    if beat is None or datetime.now(UTC) - beat > STALLED_AFTER:
        return True
    return gone_from_this_machine(run.runner)


@dataclass
class _Context:
    """What one import run reads once and carries from batch to batch."""

    actor: Actor
    run_id: int
    source_id: int
    # Who holds the run (new_holder); each batch is written only while it still does.
    runner: str
    options: ImportOptions
    relevance_rules: RelevanceRules
    rule_context: rules.RuleContext
    iso3_by_iso2: dict[str, str]
    iso2_by_iso3: dict[str, str]
    vocabulary_uri: str
    # Whose identifiers are PUX's own: an activity of its export read back is not imported again.
    reporter: Reporter
    organisation_ids: dict[str, int] = field(default_factory=dict)


@dataclass
class _Decision:
    read: reader.ReadActivity
    refusal: Refusal | None = None
    wanted: bool = False
    relevance: Relevance | None = None
    country_iso3: str | None = None
    # Why a valid activity is not imported (one of PASSED_OVER), when it is not.
    passed_over: str | None = None


def technique_vocabulary_uri(base_url: str) -> str:
    """Where PUX's technique vocabulary is defined (its technique pages)."""
    return f"{base_url.rstrip('/')}/techniques"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


# --- Import --------------------------------------------------------------------------------------------


def import_file(
    *,
    session_factory: sessionmaker[Session],
    actor: Actor,
    path: Path,
    base_url: str,
    file_name: str | None = None,
    options: ImportOptions | None = None,
    progress: Progress | None = None,
    take_over: bool = False,
    run_id: int | None = None,
    reporter: Reporter | None = None,
) -> ImportReport:
    """Import the relevant, valid activities of an IATI 2.03 file in batches; continue a run of the same
    file and options that stopped half way. Raises IatiFileRefused (nothing written) for a file that is
    not IATI XML, PermissionDenied for anyone but facilitators, ImportUnderway while another runner holds
    the run. ``run_id``: the run a job was queued to do (its report, once it has ended). ``reporter``:
    whose export PUX's own activities come back in (this installation's by default)."""
    if run_id is not None:
        ended = _ended_or_held(session_factory, run_id, take_over=take_over)
        if ended is not None:
            return ended
    started = start_import(
        session_factory=session_factory,
        actor=actor,
        path=path,
        base_url=base_url,
        file_name=file_name,
        options=options,
        take_over=take_over,
        run_id=run_id,
        reporter=reporter,
    )
    return finish_import(started, progress)


def _ended_or_held(
    session_factory: sessionmaker[Session], run_id: int, *, take_over: bool
) -> ImportReport | None:
    """The report of a run that has ended (another attempt finished it); raises ImportUnderway while
    another runner holds it. A look before the file is read through: whoever takes the run checks again."""
    with unit_of_work(session_factory) as session:
        run = repository.get_run(session, run_id)
        if run is None:
            return None
        if run.status == "finished":
            return ImportReport.of(run)
        _refuse_if_held(run, take_over=take_over)
    return None


@dataclass(frozen=True)
class StartedImport:
    """An import whose file has been read through once (it is IATI XML; its activities counted) and whose
    run is recorded: what finish_import needs to go on, here or in another thread."""

    session_factory: sessionmaker[Session]
    path: Path
    context: _Context
    total: int
    done: int
    seconds_before: float
    batch_size: int

    @property
    def run_id(self) -> int:
        return self.context.run_id

    @property
    def handed_over(self) -> bool:
        """Recorded for a job to run: nobody holds the run until the job takes it."""
        return not self.context.runner


def start_import(
    *,
    session_factory: sessionmaker[Session],
    actor: Actor,
    path: Path,
    base_url: str,
    file_name: str | None = None,
    options: ImportOptions | None = None,
    take_over: bool = False,
    run_id: int | None = None,
    hand_over: bool = False,
    reporter: Reporter | None = None,
) -> StartedImport:
    """Check the file and take its run (or the stopped run of the same file and options, to go on from
    where it stopped). Raises IatiFileRefused, with nothing written, for a file that is not IATI XML, and
    ImportUnderway while another runner holds the run: one run is imported by one runner at a time.
    ``take_over``: the caller is the job the run was handed over to (``run_id``), so a run recorded for
    it and held by nobody is its own. ``hand_over``: record the run for a job to run, holding it not."""
    require(permissions.can_import_iati(actor), _("Only facilitators may import IATI files."))
    chosen = options or ImportOptions()
    rule_set = relevance.load_rules(Path(chosen.rules_path) if chosen.rules_path else None)
    try:
        header, total = reader.scan(path)
    except reader.FileRefused as refused:
        raise IatiFileRefused(refused) from refused
    name = (file_name or path.name)[:300]
    holder = None if hand_over else new_holder()
    with unit_of_work(session_factory, write=True) as session:
        run = _start_run(
            session,
            actor=actor,
            path=path,
            name=name,
            header=header,
            total=total,
            options=chosen,
            holder=holder,
            take_over=take_over,
            run_id=run_id,
        )
        context = _context(
            session, actor, run, holder or "", chosen, rule_set, base_url, reporter or this_installation()
        )
        done, seconds_before = run.done_count, float(run.seconds or 0)
    return StartedImport(session_factory, path, context, total, done, seconds_before, chosen.batch_size)


def finish_import(started: StartedImport, progress: Progress | None = None) -> ImportReport:
    """Import the activities of a started run that are not done yet, a batch (one transaction) at a time.
    An attempt that stops on an error marks its run failed (the next attempt goes on after its batches);
    one whose run was taken over meanwhile (ImportTakenOver) leaves the run to its new holder."""
    assert not started.handed_over, "a run handed over to a job is the job's to import"
    try:
        return _import_batches(started, progress)
    except ImportTakenOver:
        raise
    except Exception:
        mark_failed(started.session_factory, started.run_id, runner=started.context.runner)
        raise


def _import_batches(started: StartedImport, progress: Progress | None) -> ImportReport:
    clock = time.perf_counter()
    # Loaded now, not by the first batch's indexing for search while it holds SQLite's write lock (seconds,
    # once a process).
    search_indexing.embedder()
    factory, context, done, total = started.session_factory, started.context, started.done, started.total
    if progress:
        progress(done, total)
    batch: list[reader.ReadActivity] = []
    for read in _activities_from(started.path, skip=done, context=context):
        batch.append(read)
        if len(batch) >= started.batch_size:
            _apply_batch(factory, context, batch, clock, started.seconds_before)
            done += len(batch)
            batch = []
            if progress:
                progress(done, total)
    if batch:
        _apply_batch(factory, context, batch, clock, started.seconds_before)
        done += len(batch)
    with unit_of_work(factory, write=True) as session:
        _hold_on(session, context)
        finished = repository.get_run(session, context.run_id)
        assert finished is not None
        finished.status = "finished"
        finished.finished_at = datetime.now(UTC)
        finished.seconds = Decimal(f"{started.seconds_before + time.perf_counter() - clock:.3f}")
        if finished.new_count or finished.updated_count:
            audit.record(
                session,
                actor=context.actor.label,
                action="iati.import",
                entity_type=ENTITY_RUN,
                entity_id=str(finished.id),
                after=_run_summary(finished),
            )
        report = ImportReport.of(finished)
    if progress:
        progress(done, total)
    return report


def mark_failed(session_factory: sessionmaker[Session], run_id: int, *, runner: str | None) -> None:
    """An attempt at the run stopped on an error: its page says so at once (the batches written so far
    stay, and the next attempt, or the same file uploaded again, goes on after them). Only while the
    run is held by ``runner`` (None: held by nobody, as one handed over to a job): a run another runner
    took over is not its to mark."""
    with unit_of_work(session_factory, write=True) as session:
        repository.let_go_failed(session, run_id, runner=runner)


def import_report(session: Session, *, actor: Actor, run_id: int) -> ImportReport:
    """Where one import run stands (facilitators only): its progress while it runs, its report after."""
    require(permissions.can_import_iati(actor), _("Only facilitators may import IATI files."))
    run = repository.get_run(session, run_id)
    if run is None:
        raise NotFound(_("No such import."))
    return ImportReport.of(run)


def _run_summary(run: IatiImportRun) -> dict[str, Any]:
    return {
        "file": run.source.file_name,
        "read": run.read_count,
        "relevant": run.relevant_count,
        "new": run.new_count,
        "updated": run.updated_count,
        "unchanged": run.unchanged_count,
        "refused": run.refused_count,
        "passed_over": repository.passed_over(run),
    }


def _start_run(
    session: Session,
    *,
    actor: Actor,
    path: Path,
    name: str,
    header: Any,
    total: int,
    options: ImportOptions,
    holder: str | None,
    take_over: bool = False,
    run_id: int | None = None,
) -> IatiImportRun:
    """Take the file's run to go on with, or record a new one, for ``holder``. Whoever starts a file's
    import holds its source's row while deciding (PostgreSQL; SQLite's writers take turns), so two
    starting at once (two uploads, a job and a command) see each other's run; and taking a run is a
    compare-and-set on who held it and how far it got, so a holder that just wrote a batch keeps it."""
    sha256 = _sha256(path)
    source = repository.source_for(session, sha256=sha256, file_name=name)
    if source is None:
        source = repository.add_source_once(
            session,
            IatiSource(
                file_name=name, sha256=sha256, iati_version=header.version, generated_at=header.generated_at
            ),
        )
    repository.lock_source(session, source.id)
    run = _run_to_go_on_with(session, source.id, options, run_id)
    now = datetime.now(UTC)
    if run is None:
        run = IatiImportRun(source_id=source.id, actor=actor.label, options=options.key(), total_count=total)
        run.refusals = []
        repository.add_passed_over(run, {})  # counted from the start: its report tells every reason
        run.status, run.runner, run.heartbeat_at = "running", holder, now
        session.add(run)
        session.flush()
        return run
    _refuse_if_held(run, take_over=take_over)
    if not repository.take_run(session, run, runner=holder, now=now):
        raise ImportUnderway(run.id)
    taken = repository.get_run(session, run.id, fresh=True)
    assert taken is not None
    return taken


def _run_to_go_on_with(
    session: Session, source_id: int, options: ImportOptions, run_id: int | None
) -> IatiImportRun | None:
    """The run a job was queued to do, else the latest unfinished run of this file and options (read
    after the source's row is held: as it is now, not as this session first saw it)."""
    if run_id is not None:
        queued = repository.get_run(session, run_id, fresh=True)
        if queued is not None and queued.source_id == source_id:
            if queued.status == "finished":  # finished by another attempt since this one looked
                raise ImportUnderway(queued.id)
            return queued
    return repository.unfinished_run(session, source_id=source_id, options=options.key())


def _refuse_if_held(run: IatiImportRun, *, take_over: bool) -> None:
    """Raise ImportUnderway when another runner is importing the run: marked running, and neither stopped
    (has_stalled) nor, for the job it was handed over to (``take_over``), held by nobody."""
    handed_to_this_job = take_over and run.runner is None
    if run.status == "running" and not has_stalled(run) and not handed_to_this_job:
        raise ImportUnderway(run.id)


def _hold_on(session: Session, context: _Context) -> None:
    """At the start of each write of the run: carry on only while this attempt still holds it (another
    runner takes a run it sees stopped; this attempt, slow but alive, must then write nothing more). The
    source's row first, in the order _start_run takes them, then the run's: held to the commit."""
    repository.lock_source(session, context.source_id)
    if not repository.still_held(session, context.run_id, runner=context.runner, now=datetime.now(UTC)):
        raise ImportTakenOver(context.run_id)


def _context(
    session: Session,
    actor: Actor,
    run: IatiImportRun,
    runner: str,
    options: ImportOptions,
    rule_set: RelevanceRules,
    base_url: str,
    reporter: Reporter,
) -> _Context:
    uri = technique_vocabulary_uri(base_url)
    iso3_by_iso2 = repository.country_iso3_by_iso2(session)
    return _Context(
        actor=actor,
        run_id=run.id,
        source_id=run.source_id,
        runner=runner,
        options=options,
        relevance_rules=rule_set.with_techniques(
            relevance.technique_terms(repository.technique_rows(session)), uri
        ),
        rule_context=rules.RuleContext(pux_currencies=repository.currency_codes(session)),
        iso3_by_iso2=iso3_by_iso2,
        iso2_by_iso3={iso3: iso2 for iso2, iso3 in iso3_by_iso2.items()},
        vocabulary_uri=uri,
        reporter=reporter,
    )


def _activities_from(path: Path, *, skip: int, context: _Context) -> Iterator[reader.ReadActivity]:
    """The file's activities after the first ``skip`` (already handled by an earlier, stopped run); the
    skipped ones still count for the duplicate-identifier rule."""
    for _header, read in reader.read(path, skip=skip, on_skipped=context.rule_context.seen.add):
        yield read


def _decide(read: reader.ReadActivity, context: _Context) -> _Decision:
    record = read.record
    decision = _Decision(read=read)
    if read.schema_problems:
        line, message = read.schema_problems[0]
        decision.refusal = Refusal(
            record.identifier, line or record.line, "schema", {"message": message[:300]}
        )
        return decision
    breaches = rules.check(record, context.rule_context)
    if breaches:
        first = breaches[0]
        decision.refusal = Refusal(record.identifier, first.line, first.rule, first.details)
        return decision
    options = context.options
    if options.reporting_orgs and record.reporting_org.ref not in options.reporting_orgs:
        decision.passed_over = OTHER_REPORTER
        return decision
    assessed = relevance.assess(record, context.relevance_rules)
    decision.relevance = assessed
    if not (assessed.relevant or options.everything):
        decision.passed_over = NOT_PEACEFUL_USES
        return decision
    if options.sector_prefixes and not any(
        code.startswith(prefix)
        for code in relevance.dac_codes_any(record)
        for prefix in options.sector_prefixes
    ):
        decision.passed_over = OUTSIDE_SECTORS
        return decision
    countries = [context.iso3_by_iso2.get(code) for code in relevance.countries_of(record)]
    if options.countries and not set(options.countries) & {c for c in countries if c}:
        decision.passed_over = OUTSIDE_COUNTRIES
        return decision
    main = relevance.main_country(record)
    decision.country_iso3 = context.iso3_by_iso2.get(main) if main else None
    if decision.country_iso3 is None:
        regional = main is None and any(split.kind == REGION for split in record.splits)
        rule = "region-only" if regional else "no-country"
        decision.refusal = Refusal(record.identifier, record.line, rule, {})
        return decision
    decision.wanted = True
    return decision


def _apply_batch(
    session_factory: sessionmaker[Session],
    context: _Context,
    batch: Sequence[reader.ReadActivity],
    started: float,
    elapsed_before: float,
) -> None:
    """Decide and write one batch, and move the run's counts on, in one transaction."""
    decisions = [_decide(read, context) for read in batch]
    with unit_of_work(session_factory, write=True) as session:
        _hold_on(session, context)
        run = repository.get_run(session, context.run_id)
        assert run is not None
        if run.source.publisher_ref is None and decisions:
            # The file names no publisher; its activities' reporting organisation is the publisher.
            first = decisions[0].read.record
            run.source.publisher_ref = first.reporting_org.ref
            run.source.publisher_name = pick(first.reporting_org.names, "en")[:300] or None
        wanted = [d for d in decisions if d.wanted]
        existing = repository.activities_by_identifier(session, {d.read.record.identifier for d in wanted})
        ours = repository.own_activities(
            session, {number for d in wanted if (number := own_record_number(d.read.record.identifier))}
        )
        changed: list[tuple[AssistanceActivity, ActivityRecord, Relevance | None]] = []
        befores: list[dict[str, Any] | None] = []
        replaced: list[int] = []
        new = updated = unchanged = 0
        # Ids given before the flush: the activities go in as one short statement, not one each.
        fresh_ids = iter(
            assistance_repository.new_ids(
                session, len({d.read.record.identifier for d in wanted} - existing.keys())
            )
        )
        for decision in wanted:
            record = decision.read.record
            if own_activity_read_back(record, decision.country_iso3, ours, context.reporter):
                unchanged += 1  # PUX's own export read back: the activity is here already
                continue
            activity = existing.get(record.identifier)
            if activity is not None and not _is_newer(record, activity):
                unchanged += 1
                continue
            befores.append(activity.snapshot() if activity is not None else None)
            if activity is None:
                # Public when it first comes in, as the publisher made it; afterwards who may see it is
                # PUX's people's choice, which a newer version of the file does not undo.
                activity = AssistanceActivity(
                    origin="iati", created_by_id=context.actor.user_id, visibility="public"
                )
                activity.id = next(fresh_ids)
                new += 1
            else:
                updated += 1
                replaced.append(activity.id)
            _fill_activity(session, activity, record, decision, context)
            session.add(activity)
            changed.append((activity, record, decision.relevance))
            existing[record.identifier] = activity
        # One flush for the whole batch (and so one pass of the search index over it).
        session.flush()
        # Their audit records too are given ids, so that they go in together.
        event_ids = audit_repository.new_event_ids(session, len(changed))
        for (activity, _record, _relevance), before, event_id in zip(
            changed, befores, event_ids, strict=True
        ):
            audit.record(
                session,
                actor=context.actor.label,
                action="activity.update" if before else "activity.create",
                entity_type=assistance.ENTITY,
                entity_id=str(activity.id),
                before=before,
                after=activity.snapshot(),
            ).id = event_id
        repository.delete_children(session, replaced)
        _write_children(session, changed, context)
        _link(session, [(activity, record) for activity, record, _rel in changed])
        refusals = [d.refusal for d in decisions if d.refusal is not None]
        run.read_count += len(decisions)
        run.heartbeat_at = datetime.now(UTC)
        run.relevant_count += sum(
            1 for d in decisions if d.wanted or (d.refusal and d.refusal.rule in NO_PLACE_RULES)
        )
        run.new_count += new
        run.updated_count += updated
        run.unchanged_count += unchanged
        run.refused_count += len(refusals)
        repository.add_passed_over(run, dict(Counter(d.passed_over for d in decisions if d.passed_over)))
        if refusals and len(run.refusals) < MAX_NAMED_REFUSALS:
            named = [
                {"identifier": r.identifier, "line": r.line, "rule": r.rule, "details": r.details}
                for r in refusals
            ]
            run.refusals = [*run.refusals, *named][:MAX_NAMED_REFUSALS]
        run.done_count += len(decisions)
        run.seconds = Decimal(f"{elapsed_before + time.perf_counter() - started:.3f}")


def own_record_number(identifier: str) -> int | None:
    """The number of the PUX activity an identifier of PUX's own export would name, else None."""
    found = _OWN_IDENTIFIER.search(identifier)
    return int(found.group(1)) if found and identifier.endswith(found.group(0)) else None


def own_activity_read_back(
    record: ActivityRecord, country_iso3: str | None, ours: dict[int, AssistanceActivity], reporter: Reporter
) -> bool:
    """Whether ``record`` is this installation's export of one of its own activities (``ours``, by
    number): its identifier and reporting organisation are the ones the export gives that activity (with
    ``reporter``, this installation's, for a provider with no IATI identifier), and it is that activity
    (title and recipient country). An identifier ending in "-PUX-<n>" is not enough: another PUX
    installation's export, or any publisher's, may name an activity n that is not PUX's n (such a file was
    reported "unchanged" and its activities were lost)."""
    number = own_record_number(record.identifier)
    activity = ours.get(number) if number is not None else None
    if activity is None:
        return False
    reporting_ref = own_reporting_ref(activity.provider, reporter)
    return (
        record.identifier == own_identifier(activity.provider, activity.id, reporter)
        and record.reporting_org.ref == reporting_ref
        and country_iso3 == activity.recipient_country_iso3
        and _same_words(record.title("en"), activity.title)
    )


def title_for_reader(session: Session, activity: AssistanceActivity, language: str) -> str:
    """An imported activity's title in the reader's language when its publisher gave one (a French reader
    was shown the English title of an activity whose file had its French title too), else its own. Not
    once the title was edited in PUX: the edit is then the title in every language."""
    if not activity.iati_identifier:
        return activity.title
    titles = tuple(Narrative(row.language, row.text) for row in repository.titles_of(session, activity.id))
    imported = pick(titles, activity.iati_default_language or "en")[:300]
    if not _same_words(imported, activity.title):
        return activity.title
    return next((title.text for title in titles if title.language == language and title.text), activity.title)


def _same_words(first: str, second: str) -> bool:
    return first.split() == second.split()


def own_reporting_ref(provider: Organisation | None, reporter: Reporter) -> str:
    """Who reports an activity recorded in PUX in its export: its provider when that has an IATI
    identifier, else this installation (``reporter``) as a secondary reporter."""
    provider_ref = provider.iati_identifier if provider is not None else None
    return provider_ref or reporter.ref


def own_identifier(provider: Organisation | None, activity_id: int, reporter: Reporter) -> str:
    """The IATI identifier PUX's export gives an activity recorded in PUX."""
    return f"{own_reporting_ref(provider, reporter)}-PUX-{activity_id}"


def _is_newer(record: ActivityRecord, activity: AssistanceActivity) -> bool:
    """The IATI rule: a stored activity is replaced only by a version updated after it."""
    stored = as_utc(activity.iati_last_updated)
    return stored is None or (record.last_updated is not None and record.last_updated > stored)


# Refusals of activities that are about peaceful uses but name no country PUX can record them under.
NO_PLACE_RULES = ("no-country", "region-only")


def chosen_countries(session: Session, codes: Sequence[str]) -> tuple[str, ...]:
    """The ISO 3166 alpha-3 codes of the countries an import is limited to, given as alpha-3 or as the
    alpha-2 codes IATI files themselves use ("KE"); an unknown code is refused (it matched nothing and the
    import reported 0 relevant activities without saying why)."""
    iso3_by_iso2 = repository.country_iso3_by_iso2(session)
    by_code = {**iso3_by_iso2, **{iso3: iso3 for iso3 in iso3_by_iso2.values()}}
    unknown = [code for code in codes if code.upper() not in by_code]
    if unknown:
        message = _("unknown country code: %(codes)s (give ISO codes such as KEN or KE)") % {
            "codes": ", ".join(unknown)
        }
        raise ValidationFailed([FieldProblem("countries", message)])
    return tuple(dict.fromkeys(by_code[code.upper()] for code in codes))


def _sum(
    transactions: Iterable[Transaction], types: frozenset[str], currency: str | None, default: str | None
) -> Decimal | None:
    """The total of these transaction types, when all are in one currency (PUX converts nothing)."""
    chosen = [t for t in transactions if t.type in types and t.value is not None]
    if not chosen or any((t.currency or default) != currency for t in chosen):
        return None
    return sum((t.value for t in chosen if t.value is not None), Decimal(0))


def _activity_currency(record: ActivityRecord) -> str:
    """The currency of an imported activity's amounts: that of all its commitments and disbursements when
    they share one, else that of its commitments (what the gaps count), else the file's default. A file
    whose default was USD and whose transactions were all in EUR had its amounts shown as "not stated" and
    left out of the gaps."""

    def currencies(types: frozenset[str]) -> set[str | None]:
        chosen = [t for t in record.transactions if t.type in types and t.value is not None]
        return {t.currency or record.default_currency for t in chosen}

    for stated in (currencies(COMMITTED_TYPES | DISBURSED_TYPES), currencies(COMMITTED_TYPES)):
        if len(stated) == 1 and (only := next(iter(stated))):
            return only
    return record.default_currency or next(
        (t.currency for t in record.transactions if t.currency and t.value is not None), "USD"
    )


def _names(narratives: tuple[Narrative, ...], language: str) -> str:
    return pick(narratives, language)


def _organisation_id(session: Session, ref: OrganisationRef, context: _Context, language: str) -> int:
    """The PUX organisation with this IATI identifier, else a new one flagged for a facilitator."""
    key = ref.ref or ""
    if key in context.organisation_ids:
        return context.organisation_ids[key]
    found = repository.organisations_by_iati_ref(session, [key]) if key else {}
    if key in found:
        context.organisation_ids[key] = found[key]
        return found[key]
    name = (_names(ref.names, language) or key or _("Unnamed IATI organisation"))[:180]
    if repository.organisation_name_taken(session, name):
        name = f"{name} [{key}]"[:200]
    organisation = Organisation(
        name=name,
        organisation_type=ORGANISATION_TYPE_TO_PUX.get(ref.type or "", DEFAULT_PUX_ORGANISATION_TYPE),
        iati_identifier=key if key and len(key) <= 80 else None,
    )
    repository.add_organisation(session, organisation, context.run_id, key)
    audit.record(
        session,
        actor=context.actor.label,
        action="organisation.create",
        entity_type="organisation",
        entity_id=str(organisation.id),
        after={"name": organisation.name, "iati_identifier": key, "to_confirm": True},
    )
    if key:
        context.organisation_ids[key] = organisation.id
    return organisation.id


def _provider(record: ActivityRecord) -> OrganisationRef:
    """The funder PUX files the activity under: the funding organisation, else the reporting one."""
    funders = [o for o in record.participating_orgs if o.role == FUNDING_ROLE and o.ref]
    return funders[0] if funders else record.reporting_org


def _fill_activity(
    session: Session,
    activity: AssistanceActivity,
    record: ActivityRecord,
    decision: _Decision,
    context: _Context,
) -> None:
    language = record.default_language or "en"
    transactions = record.transactions
    currency = _activity_currency(record)
    implementers = [o for o in record.participating_orgs if o.role == IMPLEMENTING_ROLE]
    found = decision.relevance
    activity.title = (record.title(language) or record.identifier)[:300]
    activity.description = record.description(language)
    activity.provider_organisation_id = _organisation_id(session, _provider(record), context, language)
    activity.implementer = (
        (_names(implementers[0].names, language) or implementers[0].ref or "")[:200] or None
        if implementers
        else None
    )
    activity.recipient_country_iso3 = decision.country_iso3 or ""
    activity.thematic_area_code = found.thematic_area_code if found else None
    activity.technique_code = found.technique_code if found else None
    activity.amount_committed = _sum(transactions, COMMITTED_TYPES, currency, record.default_currency)
    activity.amount_disbursed = _sum(transactions, DISBURSED_TYPES, currency, record.default_currency)
    activity.currency = currency
    activity.start_date = record.dates.get(ACTUAL_START) or record.dates.get(PLANNED_START)
    activity.end_date = record.dates.get(ACTUAL_END) or record.dates.get(PLANNED_END)
    activity.status = ACTIVITY_STATUS_TO_PUX.get(record.status or "", "implementation")
    activity.dac_sector_codes = relevance.dac_codes(record)
    activity.iati_identifier = record.identifier
    activity.iati_last_updated = record.last_updated
    activity.iati_reporting_org_ref = record.reporting_org.ref
    activity.iati_reporting_org_type = record.reporting_org.type
    activity.iati_default_language = record.default_language or None
    activity.iati_default_currency = record.default_currency
    activity.iati_related_activities = [{"ref": r.ref, "type": r.type} for r in record.related]
    activity.search_text = assistance.search_text_of(activity)
    with session.no_autoflush:
        activity.iati_source_id = _source_id(session, context)


def _source_id(session: Session, context: _Context) -> int:
    run = repository.get_run(session, context.run_id)
    assert run is not None
    return run.source_id


def _split_row(
    activity_id: int, position: int, split: Split, transaction_id: int | None = None
) -> dict[str, Any]:
    return {
        "activity_id": activity_id,
        "transaction_id": transaction_id,
        "position": position,
        "kind": split.kind,
        "vocabulary": split.vocabulary[:10],
        "code": split.code[:100],
        "percentage": split.percentage,
        "vocabulary_uri": (split.vocabulary_uri or None) and split.vocabulary_uri[:300],
    }


def _is_own_vocabulary(split: Split, context: _Context) -> bool:
    """PUX's technique sector (vocabulary 99 at PUX's URI): kept as the activity's technique instead."""
    return (
        split.kind == SECTOR
        and split.vocabulary == REPORTING_ORGANISATION_VOCABULARY
        and split.vocabulary_uri == context.vocabulary_uri
    )


def _org_columns(prefix: str, org: OrganisationRef | None, language: str) -> dict[str, Any]:
    return {
        f"{prefix}_org_ref": org.ref[:150] if org and org.ref else None,
        f"{prefix}_org_type": org.type[:10] if org and org.type else None,
        f"{prefix}_org_name": _names(org.names, language)[:300] or None if org else None,
        f"{prefix}_activity_id": org.activity_id[:200] if org and org.activity_id else None,
    }


def _write_children(
    session: Session,
    changed: list[tuple[AssistanceActivity, ActivityRecord, Relevance | None]],
    context: _Context,
) -> None:
    """Transactions, splits, participating organisations and narratives of the changed activities, written
    with one statement per table (a batch has thousands of rows)."""
    transaction_rows: list[dict[str, Any]] = []
    owners: list[tuple[int, Transaction]] = []
    splits: list[dict[str, Any]] = []
    participants: list[dict[str, Any]] = []
    narratives: list[dict[str, Any]] = []
    refs = {o.ref for _a, r, _v in changed for o in r.participating_orgs if o.ref}
    known = repository.organisations_by_iati_ref(session, refs)
    for activity, record, _relevance in changed:
        language = record.default_language
        for position, transaction in enumerate(record.transactions):
            transaction_rows.append(
                {
                    "activity_id": activity.id,
                    "position": position,
                    "transaction_type": transaction.type[:3],
                    "transaction_date": transaction.date,
                    "value": transaction.value,
                    "currency": transaction.currency,
                    "value_date": transaction.value_date,
                    "description": _names(transaction.description, language) or None,
                    **_org_columns("provider", transaction.provider, language),
                    **_org_columns("receiver", transaction.receiver, language),
                }
            )
            owners.append((activity.id, transaction))
        kept = [s for s in record.splits if not _is_own_vocabulary(s, context)]
        splits += [_split_row(activity.id, position, split) for position, split in enumerate(kept)]
        for position, org in enumerate(record.participating_orgs):
            participants.append(
                {
                    "activity_id": activity.id,
                    "position": position,
                    "role": org.role,
                    "ref": org.ref[:150] if org.ref else None,
                    "org_type": org.type,
                    "their_activity_id": org.activity_id[:200] if org.activity_id else None,
                    "organisation_id": known.get(org.ref or ""),
                }
            )
            narratives += _narrative_rows(activity.id, f"participant-{position}", org.names)
        narratives += _narrative_rows(activity.id, "title", record.titles)
        narratives += _narrative_rows(activity.id, "reporting-org", record.reporting_org.names)
        for kind, narrative in record.descriptions:
            narratives += _narrative_rows(activity.id, f"description-{kind}", (narrative,))
    repository.insert_rows(session, IatiTransaction, transaction_rows)
    ids = repository.transaction_ids(session, {activity.id for activity, _r, _v in changed})
    for (activity_id, transaction_position), (_owner, transaction) in zip(
        ((row["activity_id"], row["position"]) for row in transaction_rows), owners, strict=True
    ):
        transaction_id = ids[(activity_id, transaction_position)]
        splits += [
            _split_row(activity_id, position, split, transaction_id)
            for position, split in enumerate(transaction.splits)
        ]
    repository.insert_rows(session, IatiSplit, splits)
    repository.insert_rows(session, IatiParticipatingOrganisation, participants)
    positions: dict[int, int] = {}
    for row in narratives:
        # Narratives keep their order within their activity.
        row["position"] = positions.get(row["activity_id"], 0)
        positions[row["activity_id"]] = row["position"] + 1
    repository.insert_rows(session, IatiNarrative, narratives)


def _narrative_rows(
    activity_id: int, field_name: str, narratives: Iterable[Narrative]
) -> list[dict[str, Any]]:
    return [
        {
            "activity_id": activity_id,
            "position": 0,
            "field": field_name,
            "language": n.language[:10],
            "text": n.text,
        }
        for n in narratives
    ]


def _link(session: Session, changed: list[tuple[AssistanceActivity, ActivityRecord]]) -> None:
    """Mark an implementer's activity as counted in its funder's, so the same money is not counted
    twice: by transaction references to the other activity (either way round), or by related-activity
    when the other's reporting organisation receives or implements this one's money."""
    wanted: set[str] = set()
    for _activity, record in changed:
        wanted |= {
            t.provider.activity_id
            for t in record.transactions
            if t.type in INCOMING and t.provider and t.provider.activity_id
        }
        wanted |= {
            t.receiver.activity_id
            for t in record.transactions
            if t.type in OUTGOING and t.receiver and t.receiver.activity_id
        }
        wanted |= {r.ref for r in record.related}
    others = {
        identifier: (activity_id, org)
        for activity_id, identifier, org in repository.links_for(session, identifiers=wanted)
    }
    pairs: list[tuple[int, int]] = []
    for activity, record in changed:
        own_org = record.reporting_org.ref
        for transaction in record.transactions:
            if (
                transaction.type in INCOMING
                and transaction.provider
                and transaction.provider.activity_id in others
            ):
                funder_id, funder_org = others[transaction.provider.activity_id]
                if funder_org != own_org and funder_id != activity.id:
                    pairs.append((activity.id, funder_id))
            if (
                transaction.type in OUTGOING
                and transaction.receiver
                and transaction.receiver.activity_id in others
            ):
                implementer_id, implementer_org = others[transaction.receiver.activity_id]
                if implementer_org != own_org and implementer_id != activity.id:
                    pairs.append((implementer_id, activity.id))
        receivers = {
            t.receiver.ref
            for t in record.transactions
            if t.type in OUTGOING and t.receiver and t.receiver.ref
        }
        receivers |= {o.ref for o in record.participating_orgs if o.role == IMPLEMENTING_ROLE and o.ref}
        for related in record.related:
            if related.ref in others:
                other_id, other_org = others[related.ref]
                if other_org and other_org != own_org and other_org in receivers:
                    pairs.append((other_id, activity.id))
    repository.set_counted_in(session, pairs)


# --- Reports, organisations to confirm ------------------------------------------------------------


def recent_imports(session: Session, *, actor: Actor) -> list[ImportReport]:
    """The latest import runs (facilitators only)."""
    require(permissions.can_import_iati(actor), _("Only facilitators may import IATI files."))
    return [ImportReport.of(run) for run in repository.recent_runs(session)]


def organisations_to_confirm(session: Session, *, actor: Actor) -> list[tuple[int, str, str]]:
    """(organisation id, name, IATI identifier) of organisations imports created and nobody confirmed."""
    require(permissions.can_import_iati(actor), _("Only facilitators may import IATI files."))
    flagged = repository.organisations_to_confirm(session)
    names = repository.organisations(session, [f.organisation_id for f in flagged])
    return [
        (f.organisation_id, names[f.organisation_id].name, f.iati_ref)
        for f in flagged
        if f.organisation_id in names
    ]


def confirm_organisation(session: Session, *, actor: Actor, organisation_id: int) -> None:
    """A facilitator confirms an organisation an import created (it stays as created; the flag goes)."""
    require(permissions.can_import_iati(actor), _("Only facilitators may import IATI files."))
    flagged = repository.organisation_to_confirm(session, organisation_id)
    if flagged is None or flagged.confirmed:
        raise NotFound(_("No organisation with this number waits to be confirmed."))
    flagged.confirmed = True
    flagged.confirmed_by = actor.label
    flagged.confirmed_at = datetime.now(UTC)
    audit.record(
        session,
        actor=actor.label,
        action="organisation.confirm_iati",
        entity_type="organisation",
        entity_id=str(organisation_id),
        after={"iati_identifier": flagged.iati_ref, "confirmed": True},
    )


# --- Export --------------------------------------------------------------------------------------------


def export_activities(
    session: Session,
    *,
    actor: Actor,
    filters: ActivityFilter,
    target: BinaryIO | IO[bytes],
    base_url: str,
    batch_size: int = 500,
    reporter: Reporter | None = None,
) -> int:
    """Write the activities the actor may see, filtered as the list is, as IATI 2.03 XML; returns how
    many were written. ``reporter``: who reports those whose provider has no IATI identifier (this
    installation, as the environment configures it, by default)."""
    require(permissions.can_export_iati(actor), _("You may not export activities."))
    chunks = assistance.export_activity_chunks(session, actor=actor, filters=filters, size=batch_size)
    techniques = {code: (area, names) for code, area, names in repository.technique_rows(session)}
    iso2 = {iso3: iso2 for iso2, iso3 in repository.country_iso3_by_iso2(session).items()}
    uri = technique_vocabulary_uri(base_url)
    records = _records(session, chunks, techniques, iso2, uri, reporter or this_installation())
    return writer.write_activities(target, records)


def _records(
    session: Session,
    chunks: Iterable[Sequence[AssistanceActivity]],
    techniques: dict[str, tuple[str, dict[str, str]]],
    iso2: dict[str, str],
    uri: str,
    reporter: Reporter,
) -> Iterator[ActivityRecord]:
    for chunk in chunks:
        ids = [a.id for a in chunk]
        transactions = _group(repository.transactions_of_many(session, ids), "activity_id")
        splits = _group(repository.splits_of(session, ids), "activity_id")
        narratives = _group(repository.narratives_of(session, ids), "activity_id")
        participants = _group(repository.participants_of(session, ids), "activity_id")
        providers = repository.organisations(session, {a.provider_organisation_id for a in chunk})
        for activity in chunk:
            yield _record_of(
                activity,
                transactions.get(activity.id, []),
                splits.get(activity.id, []),
                narratives.get(activity.id, []),
                participants.get(activity.id, []),
                providers.get(activity.provider_organisation_id),
                techniques,
                iso2,
                uri,
                reporter,
            )


def _group(rows: Iterable[Any], key: str) -> dict[int, list[Any]]:
    grouped: dict[int, list[Any]] = {}
    for row in rows:
        grouped.setdefault(getattr(row, key), []).append(row)
    return grouped


def _stored_narratives(rows: list[Any], field_name: str) -> tuple[Narrative, ...]:
    return tuple(Narrative(row.language, row.text) for row in rows if row.field == field_name)


def _technique_split(
    activity: AssistanceActivity, techniques: dict[str, tuple[str, dict[str, str]]], uri: str
) -> list[Split]:
    if not activity.technique_code or activity.technique_code not in techniques:
        return []
    _area, names = techniques[activity.technique_code]
    return [
        Split(
            kind=SECTOR,
            vocabulary=REPORTING_ORGANISATION_VOCABULARY,
            code=activity.technique_code,
            vocabulary_uri=uri,
            names=tuple(
                Narrative(language, names[language]) for language in LANGUAGES if names.get(language)
            ),
        )
    ]


def _record_of(
    activity: AssistanceActivity,
    transactions: list[Any],
    splits: list[Any],
    narratives: list[Any],
    participants: list[Any],
    provider: Organisation | None,
    techniques: dict[str, tuple[str, dict[str, str]]],
    iso2: dict[str, str],
    uri: str,
    reporter: Reporter,
) -> ActivityRecord:
    """An activity as an IATI record: what the file said for imported ones, PUX's fields for the others."""
    if activity.iati_identifier:
        return _imported_record(activity, transactions, splits, narratives, participants, techniques, uri)
    return _own_record(activity, provider, techniques, iso2, uri, reporter)


# An activity's statuses in which it has begun, and those in which it is over (PUX keeps one start and one
# end date, not IATI's planned and actual pairs: which one a date is follows from the status and the day).
_STARTED = frozenset({"implementation", "finalisation", "closed", "suspended"})
_ENDED = frozenset({"closed"})


# IATI 2.03 requires an activity-date (its schema) and a planned or an actual start among them (its rule
# "activity-date[@type='1' or @type='2'] must be present"). PUX leaves out every date it does not know,
# except this one start: an activity recorded without dates gets a planned start (the standard's type for
# a date that is not a fact) on the earliest day PUX knows of it, said in the date's narrative not to be
# the activity's start.
START_NOT_KNOWN = (
    "Start date not known: PUX has no start date for this activity. IATI requires one, so this is the "
    "earliest date PUX knows of the activity (its end, its first transaction, or the day it was recorded "
    "in PUX)."
)
# What PUX's own activities carry of their amounts when it knows no date to report them on: an IATI
# transaction must have one, and a made-up date puts the money in the wrong year for whoever adds up
# transactions by year.
AMOUNTS_WITHOUT_DATE = (
    "Amounts recorded in PUX without a date, so not reported as transactions (IATI transactions need one): "
)


def _with_a_start(
    activity: AssistanceActivity, dates: dict[str, date], other_days: Iterable[date]
) -> tuple[dict[str, date], dict[str, tuple[Narrative, ...]]]:
    """``dates`` with a planned start marked as not known added when they have no start (START_NOT_KNOWN),
    and the narratives of the dates."""
    if PLANNED_START in dates or ACTUAL_START in dates:
        return dates, {}
    stand_in = min([activity.created_at.date(), *dates.values(), *other_days])
    return {PLANNED_START: stand_in, **dates}, {PLANNED_START: (Narrative("en", START_NOT_KNOWN),)}


def _activity_dates(activity: AssistanceActivity, today: date) -> dict[str, date]:
    """IATI activity dates for PUX's start and end: actual once the activity has begun (or ended) and the
    day has come, planned otherwise (a pipeline activity's start in 2027 was written as an actual start)."""
    dates: dict[str, date] = {}
    if activity.start_date:
        begun = activity.status in _STARTED and activity.start_date <= today
        dates[ACTUAL_START if begun else PLANNED_START] = activity.start_date
    if activity.end_date:
        ended = activity.status in _ENDED and activity.end_date <= today
        dates[ACTUAL_END if ended else PLANNED_END] = activity.end_date
    return dates


def _imported_record(
    activity: AssistanceActivity,
    transactions: list[Any],
    splits: list[Any],
    narratives: list[Any],
    participants: list[Any],
    techniques: dict[str, tuple[str, dict[str, str]]],
    uri: str,
) -> ActivityRecord:
    language = activity.iati_default_language or ""

    def split_of(row: Any) -> Split:
        return Split(row.kind, row.vocabulary, row.code, row.percentage, row.vocabulary_uri)

    def org(prefix: str, row: Any) -> OrganisationRef | None:
        ref, kind, name, other = (
            getattr(row, f"{prefix}_{part}") for part in ("org_ref", "org_type", "org_name", "activity_id")
        )
        if not (ref or kind or name or other):
            return None
        return OrganisationRef(
            ref=ref, type=kind, names=(Narrative(language, name),) if name else (), activity_id=other
        )

    transaction_splits = _group((s for s in splits if s.transaction_id is not None), "transaction_id")
    dates = _activity_dates(activity, date.today())
    date_notes: dict[str, tuple[Narrative, ...]] = {}
    if not dates:
        # The file it came from had dates, but someone in PUX took them away: the schema needs one.
        dates, date_notes = _with_a_start(
            activity, dates, (row.transaction_date for row in transactions if row.transaction_date)
        )
    descriptions = tuple(
        (row.field.removeprefix("description-"), Narrative(row.language, row.text))
        for row in narratives
        if row.field.startswith("description-")
    )
    return ActivityRecord(
        identifier=activity.iati_identifier or "",
        last_updated=as_utc(activity.iati_last_updated),
        default_currency=activity.iati_default_currency,
        default_language=language,
        reporting_org=OrganisationRef(
            ref=activity.iati_reporting_org_ref,
            type=activity.iati_reporting_org_type,
            names=_stored_narratives(narratives, "reporting-org"),
        ),
        titles=_stored_narratives(narratives, "title") or (Narrative(language, activity.title),),
        descriptions=descriptions,
        participating_orgs=tuple(
            OrganisationRef(
                ref=row.ref,
                type=row.org_type,
                names=_stored_narratives(narratives, f"participant-{row.position}"),
                activity_id=row.their_activity_id,
                role=row.role,
            )
            for row in participants
        ),
        status=PUX_STATUS_TO_IATI.get(activity.status),
        dates=dates,
        date_notes=date_notes,
        splits=tuple(split_of(s) for s in splits if s.transaction_id is None)
        + tuple(_technique_split(activity, techniques, uri)),
        transactions=tuple(
            Transaction(
                type=row.transaction_type,
                date=row.transaction_date,
                value=row.value,
                currency=row.currency,
                value_date=row.value_date,
                provider=org("provider", row),
                receiver=org("receiver", row),
                splits=tuple(split_of(s) for s in transaction_splits.get(row.id, [])),
                description=(Narrative(language, row.description),) if row.description else (),
            )
            for row in transactions
        ),
        related=tuple(RelatedActivity(r["ref"], r["type"]) for r in activity.iati_related_activities or []),
    )


def _own_record(
    activity: AssistanceActivity,
    provider: Organisation | None,
    techniques: dict[str, tuple[str, dict[str, str]]],
    iso2: dict[str, str],
    uri: str,
    reporter: Reporter,
) -> ActivityRecord:
    """An activity typed into PUX: reported by its provider when that has an IATI identifier, else by
    this installation (``reporter``) as a secondary reporter."""
    provider_ref = provider.iati_identifier if provider is not None else None
    reporting_ref = own_reporting_ref(provider, reporter)
    provider_type = PUX_TYPE_TO_IATI.get(provider.organisation_type, "90") if provider is not None else "90"
    provider_names = (Narrative("en", provider.name),) if provider is not None else ()
    reporting = OrganisationRef(
        ref=reporting_ref,
        type=provider_type if provider_ref else PUX_REPORTING_TYPE,
        names=provider_names if provider_ref else (Narrative("en", reporter.name),),
    )
    funder = OrganisationRef(ref=provider_ref, type=provider_type, names=provider_names, role=FUNDING_ROLE)
    participants = [funder]
    if activity.implementer:
        participants.append(
            OrganisationRef(ref=None, names=(Narrative("en", activity.implementer),), role=IMPLEMENTING_ROLE)
        )
    dates, date_notes = _with_a_start(activity, _activity_dates(activity, date.today()), ())
    country = iso2.get(activity.recipient_country_iso3)
    splits: list[Split] = [Split(COUNTRY, "1", country, Decimal(100))] if country else []
    splits += [Split(SECTOR, "1", code) for code in activity.dac_sector_codes or []]
    splits += _technique_split(activity, techniques, uri)
    transactions, undated = _own_transactions(activity)
    descriptions = [("1", Narrative("en", activity.description or activity.title))]
    if undated:
        descriptions.append(("4", Narrative("en", f"{AMOUNTS_WITHOUT_DATE}{undated}.")))
    return ActivityRecord(
        identifier=own_identifier(provider, activity.id, reporter),
        last_updated=as_utc(activity.updated_at),
        default_currency=activity.currency,
        default_language="en",
        reporting_org=reporting,
        titles=(Narrative("en", activity.title),),
        # 2.03 requires a description; an activity recorded without one is described by its title.
        descriptions=tuple(descriptions),
        participating_orgs=tuple(participants),
        status=PUX_STATUS_TO_IATI.get(activity.status, "2"),
        dates=dates,
        date_notes=date_notes,
        splits=tuple(splits),
        transactions=tuple(transactions),
    )


def _own_transactions(activity: AssistanceActivity) -> tuple[list[Transaction], str]:
    """The committed and disbursed amounts of an activity recorded in PUX as transactions dated on its
    start; with no start known, none, and the amounts in words instead (AMOUNTS_WITHOUT_DATE)."""
    amounts = [
        (kind, word, amount)
        for kind, word, amount in (
            (COMMITMENT, "committed", activity.amount_committed),
            (DISBURSEMENT, "disbursed", activity.amount_disbursed),
        )
        if amount is not None
    ]
    day = activity.start_date
    if day is None:
        return [], "; ".join(f"{word} {amount:f} {activity.currency}" for _kind, word, amount in amounts)
    return [Transaction(kind, day, amount, None, day) for kind, _word, amount in amounts], ""
