"""The jobs pages: what long work is queued, running, done or failed, and starting the work that is
asked for from here (briefs of every country, the search index rebuilt)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response

from pux.i18n import LANGUAGES, get_language
from pux.i18n import gettext as _
from pux.jobs import service
from pux.jobs.kinds import (
    ALLOCATION_ROUND,
    COUNTRY_BRIEFS,
    IATI_IMPORT,
    SEARCH_REINDEX,
    kind_label,
    status_label,
)
from pux.jobs.models import DONE, FAILED, Job
from pux.jobs.queue import policy_for, runner_alive_for
from pux.pagination import PageRequest
from pux.web.deps import FormDep, SessionDep
from pux.web.filters import PageNumber
from pux.web.forms import RecordPath, flash, form_data, sign_in_first
from pux.web.routing import page_router
from pux.web.security import CsrfChecked, PageActor
from pux.web.templating import render

router = page_router()
PAGE_SIZE = 50
# Kinds started from the jobs page (the others start from their own pages: rounds, IATI imports).
STARTED_HERE = (COUNTRY_BRIEFS, SEARCH_REINDEX)


def result_link(job: Job) -> tuple[str, str] | None:
    """Where what the job made is (a round, an import report, a file), and what to call the link."""
    result = job.result or {}
    if job.kind == ALLOCATION_ROUND and "round_id" in result:
        return f"/matching/rounds/{int(result['round_id'])}", _("Open the round and its proposals")
    if job.kind == ALLOCATION_ROUND and job.status == FAILED:
        return f"/matching?{_round_rules_query(job.params)}", _("Back to the round's rules")
    if job.kind == IATI_IMPORT and (job.result or job.params.get("run_id")):
        run_id = int(result.get("run_id") or job.params["run_id"])
        return f"/activities/import/iati/runs/{run_id}", _("Open the import report")
    if job.kind == COUNTRY_BRIEFS and job.status == DONE and "file" in result:
        return f"/jobs/{job.id}/file", _("Download the briefs (ZIP of PDFs)")
    return None


def _round_rules_query(params: dict[str, Any]) -> str:
    """The failed round's title and rules, for the matching page's form to show again (they were lost: the
    form came back with its defaults)."""

    def percent(share: object) -> str:
        return "" if share is None else f"{float(str(share)) * 100:g}"

    return urlencode(
        {
            "title": str(params.get("title", "")),
            "country_cap_percent": percent(params.get("country_cap_share")),
            "ldc_floor_percent": percent(params.get("ldc_floor_share")),
        }
    )


def _labels() -> dict[str, Any]:
    return {"status_label": status_label, "kind_label": kind_label, "result_link": result_link}


@router.get("/jobs", response_class=HTMLResponse)
def jobs_page(request: Request, session: SessionDep, actor: PageActor, page: PageNumber) -> Response:
    if redirect := sign_in_first(actor, "/jobs"):
        return redirect
    jobs = service.list_jobs(session, actor=actor, page=PageRequest(page.number, PAGE_SIZE))
    no_runner = service.no_runner_for_jobs(
        session, actor=actor, policy=policy_for(request.app.state.settings), runner_here=_runner_here(request)
    )
    return render(
        request,
        "jobs/list.html",
        {
            "page": jobs,
            "names": service.requester_names(session, jobs.items),
            "language": get_language(),
            "no_runner": no_runner,
            **_labels(),
        },
    )


def _runner_here(request: Request) -> bool:
    """Whether this app process runs jobs itself and its runner is alive (the embedded default)."""
    state = request.app.state
    return bool(state.settings.jobs_in_process) and runner_alive_for(state.jobs_factory)


@router.post("/jobs", dependencies=[CsrfChecked])
def start_job(request: Request, session: SessionDep, actor: PageActor, form: FormDep) -> Response:
    values = form_data(form)
    kind = str(values.get("kind", ""))
    if kind not in STARTED_HERE:
        kind = ""  # the service answers "no such kind of job"
    language = str(values.get("language", get_language()))
    language = language if language in LANGUAGES else get_language()
    job = service.enqueue(session, actor=actor, kind=kind, params={}, language=language)
    flash(request, _("The job is queued. This page follows it."))
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)


@router.get("/jobs/{job_id}", response_class=HTMLResponse)
def job_page(request: Request, session: SessionDep, actor: PageActor, job_id: RecordPath) -> Response:
    if redirect := sign_in_first(actor, f"/jobs/{job_id}"):
        return redirect
    job = service.get_job(session, actor=actor, job_id=job_id)
    policy = policy_for(request.app.state.settings)
    return render(
        request,
        "jobs/job.html",
        {
            "job": job,
            "names": service.requester_names(session, [job]),
            "stalled": service.is_stalled(job, policy=policy),
            "no_runner": service.no_runner_for_job(
                session, job=job, policy=policy, runner_here=_runner_here(request)
            ),
            "may_retry": job.status == FAILED and not service.was_refused(job),
            **_labels(),
        },
    )


@router.post("/jobs/{job_id}/retry", dependencies=[CsrfChecked])
def retry_job(request: Request, session: SessionDep, actor: PageActor, job_id: RecordPath) -> Response:
    service.retry(session, actor=actor, job_id=job_id)
    flash(request, _("The job is queued again."))
    return RedirectResponse(f"/jobs/{job_id}", status_code=303)


@router.get("/jobs/{job_id}/file")
def job_file(request: Request, session: SessionDep, actor: PageActor, job_id: RecordPath) -> Response:
    path = service.job_file(
        session, actor=actor, job_id=job_id, policy=policy_for(request.app.state.settings)
    )
    return FileResponse(path, media_type="application/zip", filename=path.name)
