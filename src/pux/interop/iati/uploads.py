"""An uploaded IATI file handed over to an import job: the upload page and the API do the same steps.

The file is copied into the files folder (shared by every machine when PUX is scaled out, so a worker
elsewhere reads it), read through once (a broken file is refused at once, nothing written), and its run
recorded for the job, which imports it in batches (a job whose runner is stopped is taken up again and
goes on after the last batch written)."""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from sqlalchemy.orm import Session, sessionmaker

from pux.accounts import permissions
from pux.accounts.permissions import Actor, require
from pux.config import Settings
from pux.i18n import gettext as _
from pux.interop.iati import service
from pux.jobs import service as job_service
from pux.jobs.kinds import IATI_IMPORT
from pux.jobs.models import Job

COPY_CHUNK_BYTES = 1 << 20


@dataclass(frozen=True)
class QueuedImport:
    run_id: int
    job: Job


def import_options(
    session: Session,
    *,
    actor: Actor,
    countries: str | None,
    sector_prefixes: str | None,
    everything: bool,
) -> service.ImportOptions:
    """The choices of an upload, as typed (codes apart by spaces or commas); an unknown country is refused
    (ValidationFailed), as is an actor who may not import."""
    require(permissions.can_import_iati(actor), _("Only facilitators may import IATI files."))
    return service.ImportOptions(
        countries=service.chosen_countries(session, _codes_in(countries)),
        sector_prefixes=_codes_in(sector_prefixes),
        everything=everything,
    )


def _codes_in(text: str | None) -> tuple[str, ...]:
    return tuple(code for code in (text or "").replace(",", " ").split() if code)


def queue_import(
    session: Session,
    *,
    session_factory: sessionmaker[Session],
    settings: Settings,
    actor: Actor,
    options: service.ImportOptions,
    upload: BinaryIO,
    file_name: str | None,
    language: str,
) -> QueuedImport:
    """Copy the file, check it, record the run and queue its job (in ``session``). Raises IatiFileRefused
    or RulesFileError for a file that cannot be imported, and ImportUnderway while the same file with the
    same choices is being imported. The caller's session must hold no transaction (commit it first): on
    SQLite a POST's transaction holds the write lock, which the import's own sessions would wait for."""
    name = Path(file_name or "upload.xml").name
    folder = _new_upload_folder(settings)
    path = folder / "upload.xml"
    with path.open("wb") as target:
        shutil.copyfileobj(upload, target, COPY_CHUNK_BYTES)
    try:
        started = service.start_import(
            session_factory=session_factory,
            actor=actor,
            path=path,
            file_name=name,
            options=options,
            base_url=settings.base_url,
            hand_over=True,  # the run is its job's to import: nobody holds it until the job takes it
        )
    except Exception:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    job = job_service.enqueue(
        session,
        actor=actor,
        kind=IATI_IMPORT,
        params={
            "run_id": started.run_id,
            "path": str(path.resolve()),
            "file_name": name,
            "countries": list(options.countries),
            "sector_prefixes": list(options.sector_prefixes),
            "everything": options.everything,
            "base_url": settings.base_url,
        },
        language=language,
    )
    return QueuedImport(started.run_id, job)


def _new_upload_folder(settings: Settings) -> Path:
    uploads = settings.files_dir / "uploads"
    uploads.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix="iati-", dir=uploads))
