"""The kinds of long work PUX runs as jobs: what each needs, who may ask for it, how it runs.

A kind's ``run`` gets a JobContext and returns what the job made (ids, a file name), kept with the job for
its page. It runs outside any request, with the rights its requester has when it runs (checked again
then: a role taken away in between stops it). Services are imported where they are used, so that the
packages that queue jobs can import this registry without a cycle.
"""

from __future__ import annotations

import shutil
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from pux.accounts import permissions
from pux.accounts.permissions import Actor
from pux.db import unit_of_work
from pux.i18n import gettext as _
from pux.i18n import language_context
from pux.jobs.models import DONE, FAILED, QUEUED, RUNNING

ALLOCATION_ROUND = "matching.round"
COUNTRY_BRIEFS = "briefs.countries"
IATI_IMPORT = "iati.import"
SEARCH_REINDEX = "search.reindex"


class HeldElsewhere(Exception):
    """What the job does is being done right now by another runner (the same import, run by an earlier
    attempt of this job that was taken for stopped, or by a command): the job waits and asks again,
    without counting an attempt, so that the work is never done twice at once and never lost."""


@dataclass(frozen=True)
class JobContext:
    job_id: int
    actor: Actor
    params: dict[str, Any]
    session_factory: sessionmaker[Session]
    files_dir: Path

    @property
    def folder(self) -> Path:
        """Where this job keeps what it makes."""
        return self.files_dir / "jobs" / str(self.job_id)


@dataclass(frozen=True)
class JobKind:
    code: str
    label: Callable[[], str]
    may_request: Callable[[Actor], bool]
    run: Callable[[JobContext], dict[str, Any]]
    # Runs once the job has ended for good (done, or failed with no attempt left): files it no longer needs.
    tidy: Callable[[dict[str, Any]], None] | None = None


# A queued round's time for its integer step unless it asks for another (the API lets it).
ROUND_JOB_MIP_SECONDS = 20.0


def round_params(
    *,
    title: str,
    country_cap_share: float,
    ldc_floor_share: float | None,
    mip_time_limit: float = ROUND_JOB_MIP_SECONDS,
    programme_ids: list[int] | None = None,
) -> dict[str, Any]:
    """The parameters of an allocation round job, as ``_allocation_round`` reads them (the page, the API
    and the command line queue rounds alike). ``programme_ids`` None: every published programme."""
    return {
        "title": title,
        "country_cap_share": country_cap_share,
        "ldc_floor_share": ldc_floor_share,
        "mip_time_limit": mip_time_limit,
        "programme_ids": programme_ids,
    }


def _allocation_round(context: JobContext) -> dict[str, Any]:
    from pux.matching import service as matching
    from pux.matching.allocation import RoundRules

    params = context.params
    rules = RoundRules(
        country_cap_share=float(params["country_cap_share"]),
        ldc_floor_share=None if params.get("ldc_floor_share") is None else float(params["ldc_floor_share"]),
        # Jobs queued from the command line before it used ``round_params`` have no time of their own.
        mip_time_limit=float(params.get("mip_time_limit", ROUND_JOB_MIP_SECONDS)),
    )
    with unit_of_work(context.session_factory, write=True) as session:
        chosen = params.get("programme_ids")
        record = matching.run_round(
            session,
            actor=context.actor,
            title=str(params["title"]),
            rules=rules,
            programme_ids=None if chosen is None else [int(number) for number in chosen],
        )
        return {"round_id": record.id}


def _country_briefs(context: JobContext) -> dict[str, Any]:
    from pux.briefs import service as briefs
    from pux.briefs.views import pdf_filename, printable_html

    language = str(context.params.get("language", "en"))
    context.folder.mkdir(parents=True, exist_ok=True)
    name = f"pux-country-briefs-{language}-{datetime.now(UTC).date().isoformat()}.zip"
    partial = context.folder / (name + ".part")
    with language_context(language), unit_of_work(context.session_factory) as session:
        codes = briefs.recipient_countries(session)
        # Written aside and renamed when whole: a job stopped half way leaves no ZIP that looks complete.
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_STORED) as archive:
            for code in codes:
                rendered = briefs.pdf_brief(
                    session, actor=context.actor, kind="country", key=code, printable=printable_html
                )
                archive.writestr(pdf_filename("country", code, rendered.stamp.made_on), rendered.content)
    partial.replace(context.folder / name)
    return {"file": name, "count": len(codes), "language": language}


def _iati_import(context: JobContext) -> dict[str, Any]:
    from pux.interop.iati import service as iati

    params = context.params
    options = iati.ImportOptions(
        countries=tuple(params.get("countries", ())),
        sector_prefixes=tuple(params.get("sector_prefixes", ())),
        everything=bool(params.get("everything", False)),
    )
    run_id = int(params["run_id"]) if "run_id" in params else None
    try:
        report = iati.import_file(
            session_factory=context.session_factory,
            actor=context.actor,
            path=Path(params["path"]),
            base_url=str(params["base_url"]),
            file_name=str(params["file_name"]),
            options=options,
            take_over=True,
            run_id=run_id,
        )
    except iati.ImportUnderway as underway:
        waiting = _("Another runner is importing this file now; the job waits for that import to end.")
        raise HeldElsewhere(waiting) from underway
    except Exception:
        # Stopped before it held the run (its file gone, say): the run handed over to it says so at once.
        if run_id is not None:
            iati.mark_failed(context.session_factory, run_id, runner=None)
        raise
    return {"run_id": report.run_id, "new": report.new, "updated": report.updated, "refused": report.refused}


def _remove_upload(params: dict[str, Any]) -> None:
    shutil.rmtree(Path(params["path"]).parent, ignore_errors=True)


def _search_reindex(context: JobContext) -> dict[str, Any]:
    from pux.search import service as search

    with unit_of_work(context.session_factory, write=True) as session:
        return {"documents": search.reindex(session, actor=context.actor)}


KINDS: dict[str, JobKind] = {
    kind.code: kind
    for kind in (
        JobKind(
            ALLOCATION_ROUND, lambda: _("Allocation round"), permissions.can_run_allocation, _allocation_round
        ),
        JobKind(
            COUNTRY_BRIEFS, lambda: _("Briefs of every country"), permissions.can_run_jobs, _country_briefs
        ),
        JobKind(
            IATI_IMPORT,
            lambda: _("IATI import"),
            permissions.can_import_iati,
            _iati_import,
            tidy=_remove_upload,
        ),
        JobKind(
            SEARCH_REINDEX,
            lambda: _("Search index rebuilt"),
            permissions.can_rebuild_search_index,
            _search_reindex,
        ),
    )
}


def kind_label(code: str) -> str:
    kind = KINDS.get(code)
    return kind.label() if kind else code


def status_label(status: str) -> str:
    labels = {
        QUEUED: _("Queued"),
        RUNNING: _("Running"),
        DONE: _("Done"),
        FAILED: _("Failed"),
    }
    return labels.get(status, status)
