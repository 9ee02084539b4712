"""All queries of IATI imports and exports."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Table, delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pux.accounts.models import Organisation
from pux.assistance.models import (
    AssistanceActivity,
    IatiImportRun,
    IatiNarrative,
    IatiOrganisationToConfirm,
    IatiParticipatingOrganisation,
    IatiSource,
    IatiSplit,
    IatiTransaction,
)
from pux.db import copy_rows, forget_remembered
from pux.reference.models import Country, Currency, Technique

CHILD_TABLES = (IatiSplit, IatiTransaction, IatiParticipatingOrganisation, IatiNarrative)


def source_for(session: Session, *, sha256: str, file_name: str) -> IatiSource | None:
    return session.scalars(
        select(IatiSource).where(IatiSource.sha256 == sha256, IatiSource.file_name == file_name)
    ).first()


def unfinished_run(session: Session, *, source_id: int, options: dict[str, Any]) -> IatiImportRun | None:
    """The latest run of this file with these options that did not reach its end: still running, stopped
    without a word (its process died) or failed (to continue it)."""
    runs = session.scalars(
        select(IatiImportRun)
        .where(IatiImportRun.source_id == source_id, IatiImportRun.status.in_(("running", "failed")))
        .order_by(IatiImportRun.id.desc())
    ).all()
    return next((run for run in runs if run.options == options), None)


def get_run(session: Session, run_id: int, *, fresh: bool = False) -> IatiImportRun | None:
    """``fresh``: read again from the database, not from what the session already holds."""
    return session.get(IatiImportRun, run_id, populate_existing=fresh)


def add_source_once(session: Session, source: IatiSource) -> IatiSource:
    """Record a file, or find the record another transaction has just made of it (two uploads of one
    new file at once: the second insert waits for the first and meets its unique key)."""
    try:
        with session.begin_nested():
            session.add(source)
            session.flush()
    except IntegrityError:
        found = source_for(session, sha256=source.sha256, file_name=source.file_name)
        if found is None:
            raise
        return found
    return source


def lock_source(session: Session, source_id: int) -> None:
    """Hold the file's row until this transaction ends, so that whoever starts, takes over or writes a
    batch of its import does it in turn (PostgreSQL; on SQLite a writer holds the whole database)."""
    session.execute(select(IatiSource.id).where(IatiSource.id == source_id).with_for_update())


def _held_by(runner: str | None) -> ColumnElement[bool]:
    return IatiImportRun.runner.is_(None) if runner is None else IatiImportRun.runner == runner


def take_run(session: Session, run: IatiImportRun, *, runner: str | None, now: datetime) -> bool:
    """Mark ``run`` running for ``runner`` if nobody changed it since it was read (the same holder, as
    far on, not finished): a compare-and-set, so that of two takers only one has it."""
    statement = (
        update(IatiImportRun)
        .where(
            IatiImportRun.id == run.id,
            IatiImportRun.status == run.status,
            IatiImportRun.status != "finished",
            IatiImportRun.done_count == run.done_count,
            _held_by(run.runner),
        )
        .values(status="running", runner=runner, heartbeat_at=now)
        .execution_options(synchronize_session=False)
    )
    return bool(session.execute(statement).rowcount)  # type: ignore[attr-defined]


def still_held(session: Session, run_id: int, *, runner: str, now: datetime) -> bool:
    """Whether ``runner`` still holds the running run (then it is heard of now; PostgreSQL keeps its row
    locked for the rest of the transaction)."""
    statement = (
        update(IatiImportRun)
        .where(IatiImportRun.id == run_id, IatiImportRun.status == "running", IatiImportRun.runner == runner)
        .values(heartbeat_at=now)
        .execution_options(synchronize_session=False)
    )
    return bool(session.execute(statement).rowcount)  # type: ignore[attr-defined]


def let_go_failed(session: Session, run_id: int, *, runner: str | None) -> None:
    """Mark the run failed and held by nobody, if ``runner`` holds it and it has not finished."""
    statement = (
        update(IatiImportRun)
        .where(IatiImportRun.id == run_id, IatiImportRun.status != "finished", _held_by(runner))
        .values(status="failed", runner=None)
        .execution_options(synchronize_session=False)
    )
    session.execute(statement)


def passed_over(run: IatiImportRun) -> dict[str, int] | None:
    """How many activities of the run were passed over, by reason; None for a run begun before PUX
    counted them."""
    kept = run.passed_over
    return {str(reason): int(count) for reason, count in kept.items()} if isinstance(kept, dict) else None


def add_passed_over(run: IatiImportRun, counts: dict[str, int]) -> None:
    """Add a batch's passed-over activities to the run's tally (a new dict: JSON columns do not notice
    changes made in place)."""
    tally = dict(passed_over(run) or {})
    for reason, count in counts.items():
        tally[reason] = tally.get(reason, 0) + count
    run.passed_over = tally


def recent_runs(session: Session, limit: int = 20) -> Sequence[IatiImportRun]:
    return session.scalars(select(IatiImportRun).order_by(IatiImportRun.id.desc()).limit(limit)).all()


def activities_by_identifier(session: Session, identifiers: Collection[str]) -> dict[str, AssistanceActivity]:
    if not identifiers:
        return {}
    rows = session.scalars(
        select(AssistanceActivity).where(AssistanceActivity.iati_identifier.in_(list(identifiers)))
    ).unique()
    return {activity.iati_identifier or "": activity for activity in rows}


def own_activities(session: Session, ids: Collection[int]) -> dict[int, AssistanceActivity]:
    """The activities of ``ids`` recorded in PUX itself (not imported from IATI), with their providers."""
    if not ids:
        return {}
    statement = select(AssistanceActivity).where(
        AssistanceActivity.id.in_(list(ids)), AssistanceActivity.origin != "iati"
    )
    return {activity.id: activity for activity in session.scalars(statement).unique()}


def organisations_by_iati_ref(session: Session, refs: Collection[str]) -> dict[str, int]:
    if not refs:
        return {}
    rows = session.execute(
        select(Organisation.iati_identifier, Organisation.id).where(
            Organisation.iati_identifier.in_(list(refs))
        )
    )
    return {str(ref): organisation_id for ref, organisation_id in rows}


def organisation_name_taken(session: Session, name: str) -> bool:
    return session.scalar(select(func.count()).where(Organisation.name == name)) != 0


def add_organisation(
    session: Session, organisation: Organisation, run_id: int | None, ref: str
) -> Organisation:
    session.add(organisation)
    session.flush()
    session.add(
        IatiOrganisationToConfirm(organisation_id=organisation.id, iati_ref=ref, import_run_id=run_id)
    )
    return organisation


def organisations_to_confirm(session: Session) -> Sequence[IatiOrganisationToConfirm]:
    return session.scalars(
        select(IatiOrganisationToConfirm)
        .where(IatiOrganisationToConfirm.confirmed.is_(False))
        .order_by(IatiOrganisationToConfirm.id)
    ).all()


def organisation_to_confirm(session: Session, organisation_id: int) -> IatiOrganisationToConfirm | None:
    return session.scalars(
        select(IatiOrganisationToConfirm).where(IatiOrganisationToConfirm.organisation_id == organisation_id)
    ).first()


def country_iso3_by_iso2(session: Session) -> dict[str, str]:
    return {iso2: iso3 for iso2, iso3 in session.execute(select(Country.iso2, Country.iso3))}


def currency_codes(session: Session) -> frozenset[str]:
    return frozenset(session.scalars(select(Currency.code)))


def technique_rows(session: Session) -> list[tuple[str, str, dict[str, str]]]:
    """(code, thematic area, names by language) of every PUX technique."""
    return [
        (technique.code, technique.thematic_area_code, technique.names())
        for technique in session.scalars(select(Technique).order_by(Technique.position))
    ]


def delete_children(session: Session, activity_ids: Collection[int]) -> None:
    """Remove what an activity's previous version said (its replacement is inserted next)."""
    if not activity_ids:
        return
    for table in CHILD_TABLES:
        session.execute(delete(table).where(table.activity_id.in_(list(activity_ids))))


def transaction_ids(session: Session, activity_ids: Collection[int]) -> dict[tuple[int, int], int]:
    """(activity id, position) -> id of the transactions of these activities (just inserted)."""
    if not activity_ids:
        return {}
    rows = session.execute(
        select(IatiTransaction.activity_id, IatiTransaction.position, IatiTransaction.id).where(
            IatiTransaction.activity_id.in_(list(activity_ids))
        )
    )
    return {(activity_id, position): transaction_id for activity_id, position, transaction_id in rows}


_ACTIVITIES: Table = AssistanceActivity.__table__  # type: ignore[assignment]


def insert_rows(session: Session, table: type[Any], rows: list[dict[str, Any]]) -> None:
    """Many rows of one table at once (every row has the same keys, and the table no column default): by
    COPY on PostgreSQL (an executemany was half an import's time there); elsewhere one Core executemany
    (the ORM's bulk insert split a batch into thousands of single statements, rows missing optional values
    grouped apart)."""
    copy_rows(session.connection(), table.__table__, rows)
    forget_remembered(session)  # written around the session: its stamps must be read again


def links_for(session: Session, *, identifiers: Collection[str]) -> list[tuple[int, str, str | None]]:
    """(id, identifier, reporting org) of the activities with these IATI identifiers."""
    if not identifiers:
        return []
    return [
        (row[0], str(row[1]), row[2])
        for row in session.execute(
            select(
                AssistanceActivity.id,
                AssistanceActivity.iati_identifier,
                AssistanceActivity.iati_reporting_org_ref,
            ).where(AssistanceActivity.iati_identifier.in_(list(identifiers)))
        )
    ]


def set_counted_in(session: Session, pairs: Iterable[tuple[int, int]]) -> None:
    """(implementer's activity id, funder's activity id): the first's money is counted in the second."""
    for activity_id, funder_id in pairs:
        activity = session.get(AssistanceActivity, activity_id)
        if activity is not None and activity.counted_in_activity_id != funder_id:
            activity.counted_in_activity_id = funder_id


def transactions_of(session: Session, activity_id: int) -> Sequence[IatiTransaction]:
    return session.scalars(
        select(IatiTransaction)
        .where(IatiTransaction.activity_id == activity_id)
        .order_by(IatiTransaction.position)
    ).all()


def splits_of(session: Session, activity_ids: Collection[int]) -> Sequence[IatiSplit]:
    return session.scalars(
        select(IatiSplit).where(IatiSplit.activity_id.in_(list(activity_ids))).order_by(IatiSplit.position)
    ).all()


def narratives_of(session: Session, activity_ids: Collection[int]) -> Sequence[IatiNarrative]:
    return session.scalars(
        select(IatiNarrative)
        .where(IatiNarrative.activity_id.in_(list(activity_ids)))
        .order_by(IatiNarrative.position)
    ).all()


def titles_of(session: Session, activity_id: int) -> Sequence[IatiNarrative]:
    """The title of an imported activity in each language its file gave it in."""
    return session.scalars(
        select(IatiNarrative)
        .where(IatiNarrative.activity_id == activity_id, IatiNarrative.field == "title")
        .order_by(IatiNarrative.id)
    ).all()


def participants_of(
    session: Session, activity_ids: Collection[int]
) -> Sequence[IatiParticipatingOrganisation]:
    return session.scalars(
        select(IatiParticipatingOrganisation)
        .where(IatiParticipatingOrganisation.activity_id.in_(list(activity_ids)))
        .order_by(IatiParticipatingOrganisation.position)
    ).all()


def transactions_of_many(session: Session, activity_ids: Collection[int]) -> Sequence[IatiTransaction]:
    return session.scalars(
        select(IatiTransaction)
        .where(IatiTransaction.activity_id.in_(list(activity_ids)))
        .order_by(IatiTransaction.activity_id, IatiTransaction.position)
    ).all()


def organisations(session: Session, organisation_ids: Collection[int]) -> dict[int, Organisation]:
    if not organisation_ids:
        return {}
    return {
        o.id: o
        for o in session.scalars(select(Organisation).where(Organisation.id.in_(list(organisation_ids))))
    }


def count_rows(session: Session, table: type[Any]) -> int:
    return int(session.scalar(select(func.count()).select_from(table)) or 0)
