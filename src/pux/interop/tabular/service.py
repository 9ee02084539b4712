"""Import and export of registry tables: checked whole, then applied whole, or refused naming each problem."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import IO, Any

from pydantic import BaseModel, ValidationError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pux.accounts import permissions
from pux.accounts import repository as accounts_repository
from pux.accounts.permissions import Actor, require
from pux.assistance import repository as assistance_repository
from pux.assistance import service as assistance
from pux.assistance.repository import ActivityFilter
from pux.assistance.schemas import ActivityCreate, ActivityUpdate
from pux.db import ChunkedRows, write_from_here
from pux.errors import FieldProblem, StaleEdit, ValidationFailed
from pux.i18n import gettext as _
from pux.interop.tabular import repository
from pux.interop.tabular.columns import (
    ACTIVITY_COLUMNS,
    NEED_COLUMNS,
    PROGRAMME_COLUMNS,
    Column,
    from_cell,
    to_cell,
)
from pux.interop.tabular.formats import (
    ColumnCells,
    csv_column_writer,
    read_table,
    write_neutralised_csv_to,
)
from pux.interop.tabular.xlsx import write_xlsx_to
from pux.needs import repository as needs_repository
from pux.needs import service as needs
from pux.needs.repository import NeedFilter
from pux.needs.schemas import NeedCreate, NeedUpdate
from pux.programmes import repository as programmes_repository
from pux.programmes import service as programmes
from pux.programmes.repository import ProgrammeFilter
from pux.programmes.schemas import ProgrammeCreate, ProgrammeUpdate
from pux.search import indexing as search_indexing
from pux.validation import MAX_RECORD_ID, lenient, problems_from

log = logging.getLogger(__name__)
# The columns that name an organisation by its number.
ORGANISATION_COLUMNS = ("provider_organisation_id", "organisation_id")


@dataclass(frozen=True)
class Entity:
    """How one kind of record is exchanged: its columns, shapes, checks and writes."""

    name: str
    columns: tuple[Column, ...]
    create_schema: type[BaseModel]
    update_schema: type[BaseModel]
    fetch: Callable[[Session, int], Any]
    checks: Callable[[Session, Actor, BaseModel, Any, Any], list[FieldProblem]]
    create: Callable[[Session, Actor, Any, Any], Any]
    update: Callable[[Session, Actor, int, Any, Any], Any]
    # Every record the actor may see with the filters, as plain rows: the values of the columns asked for.
    export: Callable[[Session, Actor, Any, Sequence[str]], ChunkedRows]
    visible: Callable[[Actor, Any], bool]
    # The code checks alone, for a row some of whose fields failed (so all its problems come at once).
    # The code checks of a row whose fields failed (session, unchecked values, reference codes, actor).
    codes_only: Callable[[Session, Any, Any, Actor], list[FieldProblem]]
    # Columns whose value no two rows of a file may share (each names one record).
    unique_in_file: tuple[str, ...] = ()
    # The export-only values of a record as this reader's export writes them, where they are not simply its
    # attributes (session, actor): read once per import.
    told_values: Callable[[Session, Actor], Callable[[Any], dict[str, Any]]] = lambda s, a: lambda r: {}
    # A row's data as saving it would apply it to the record (session, actor, record, data): where the
    # save keeps what the reader was not shown, the row is compared with what will be kept.
    as_saved: Callable[[Session, Actor, Any, Any], Any] = lambda s, a, r, d: d
    # The new records of a file, saved together: ``build`` makes them from their data before the write
    # transaction begins (session, actor, data: records not yet added to the session); ``save`` writes them
    # in it (session, actor, records, data, reference codes) with a statement per table and batch instead of
    # a few per record, with their audit records, and returns True; or it writes nothing and returns False
    # when what they were checked against has changed since (they are then saved one by one, and the row
    # refused is named).
    build: Callable[[Session, Actor, list[Any]], list[Any]] | None = None
    save: Callable[[Session, Actor, list[Any], list[Any], Any], bool] = lambda s, a, r, d, c: False


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    ids: list[int] = field(default_factory=list)


def _need_checks(
    session: Session, actor: Actor, data: BaseModel, existing: Any, codes: Any
) -> list[FieldProblem]:
    assert isinstance(data, NeedCreate | NeedUpdate)
    if existing is None:
        assert isinstance(data, NeedCreate)
        problems = needs.code_problems(session, data, data.country_iso3)
        if not permissions.can_create_need(actor, country_iso3=data.country_iso3):
            problems.append(FieldProblem("country_iso3", _("you may not draft needs for this country")))
        return problems
    problems = needs.code_problems(session, data)
    if not permissions.can_edit_need(actor, country_iso3=existing.country_iso3, status=existing.status):
        problems.append(FieldProblem("id", _("you may not edit this need")))
    return problems


def _programme_checks(
    session: Session, actor: Actor, data: BaseModel, existing: Any, codes: Any
) -> list[FieldProblem]:
    assert isinstance(data, ProgrammeCreate | ProgrammeUpdate)
    problems = programmes.code_problems(session, data)
    organisation_id = (
        existing.organisation_id if existing is not None else getattr(data, "organisation_id", 0)
    )
    if existing is None and accounts_repository.get_organisation(session, organisation_id) is None:
        problems.append(FieldProblem("organisation_id", _("is not a known organisation")))
    elif not permissions.can_manage_programmes_of(actor, organisation_id=organisation_id):
        problems.append(
            FieldProblem("organisation_id", _("you may not manage programmes of this organisation"))
        )
    return problems


def _activity_checks(
    session: Session, actor: Actor, data: BaseModel, existing: Any, codes: Any
) -> list[FieldProblem]:
    assert isinstance(data, ActivityCreate | ActivityUpdate)
    # With the actor: a need or programme they may not see is refused now, not while saving.
    problems = assistance.problems_with(session, data, codes, actor=actor)
    organisations = {data.provider_organisation_id} | (
        {existing.provider_organisation_id} if existing else set()
    )
    if not all(permissions.can_record_activity_for(actor, provider_organisation_id=o) for o in organisations):
        problems.append(FieldProblem("provider_organisation_id", _("you may not record activities for it")))
    # Said as the form and the API say it: who holds an identifier the actor may not see is not told.
    problems += assistance.identifier_problems(session, actor=actor, data=data, activity=existing)
    return problems


def _told_need_values(session: Session, actor: Actor) -> Callable[[Any], dict[str, Any]]:
    tells = needs.TellsRanks(session, actor=actor)
    return lambda need: {
        "national_rank": tells.ranks([need.id], [need.country_iso3], [need.national_rank])[0]
    }


NEEDS = Entity(
    name="needs",
    columns=NEED_COLUMNS,
    create_schema=NeedCreate,
    update_schema=NeedUpdate,
    fetch=needs_repository.get,
    checks=_need_checks,
    create=lambda s, a, d, c: needs.create_need(s, actor=a, data=d),
    update=lambda s, a, i, d, c: needs.update_need(s, actor=a, need_id=i, data=d),
    export=lambda s, a, f, c: needs.export_need_rows(s, actor=a, filters=f or NeedFilter(), columns=c),
    codes_only=lambda s, d, c, a: needs.code_problems(s, d, getattr(d, "country_iso3", None)),
    visible=lambda a, r: permissions.can_view_need(
        a, country_iso3=r.country_iso3, status=r.status, visibility=r.visibility
    ),
    told_values=_told_need_values,
    build=lambda s, a, d: needs.drafts_of(s, actor=a, datas=d),
    save=lambda s, a, r, d, c: needs.create_drafts(s, actor=a, drafts=r, datas=d),
)
PROGRAMMES = Entity(
    name="programmes",
    columns=PROGRAMME_COLUMNS,
    create_schema=ProgrammeCreate,
    update_schema=ProgrammeUpdate,
    fetch=programmes_repository.get,
    checks=_programme_checks,
    create=lambda s, a, d, c: programmes.create_programme(s, actor=a, data=d),
    update=lambda s, a, i, d, c: programmes.update_programme(s, actor=a, programme_id=i, data=d),
    export=lambda s, a, f, c: programmes.export_programme_rows(
        s, actor=a, filters=f or ProgrammeFilter(), columns=c
    ),
    codes_only=lambda s, d, c, a: programmes.code_problems(s, d),
    visible=lambda a, r: permissions.can_view_programme(
        a, organisation_id=r.organisation_id, status=r.status, visibility=r.visibility
    ),
)
ACTIVITIES = Entity(
    name="activities",
    columns=ACTIVITY_COLUMNS,
    create_schema=ActivityCreate,
    update_schema=ActivityUpdate,
    fetch=assistance_repository.get,
    checks=_activity_checks,
    create=lambda s, a, d, c: assistance.record_activity(s, actor=a, data=d, origin="import", codes=c),
    update=lambda s, a, i, d, c: assistance.update_activity(s, actor=a, activity_id=i, data=d, codes=c),
    export=lambda s, a, f, c: assistance.export_activity_rows(
        s, actor=a, filters=f or ActivityFilter(), columns=c
    ),
    # With the actor: a need or programme they may not see answers as a missing one.
    codes_only=lambda s, d, c, a: assistance.problems_with(s, d, c, actor=a),
    visible=lambda a, r: permissions.can_view_activity(
        a,
        provider_organisation_id=r.provider_organisation_id,
        country_iso3=r.recipient_country_iso3,
        visibility=r.visibility,
    ),
    unique_in_file=("external_id",),
    # A need or programme the importer may not see was exported empty, and saving keeps it: a row that
    # leaves it empty is no change (a re-imported export was "updated: 1", with a history entry).
    as_saved=assistance.keep_hidden_links,
    build=lambda s, a, d: assistance.activities_of(actor=a, datas=d, origin="import"),
    save=lambda s, a, r, d, c: assistance.record_activities(s, actor=a, activities=r, datas=d, codes=c),
)
ENTITIES = {entity.name: entity for entity in (NEEDS, PROGRAMMES, ACTIVITIES)}


def _row_values(
    entity: Entity, row: dict[str, str], number: int, *, as_page_writes: bool
) -> tuple[dict[str, Any], list[FieldProblem]]:
    values: dict[str, Any] = {}
    problems = []
    for column in entity.columns:
        if column.export_only or column.name not in row:
            continue
        try:
            value = from_cell(row[column.name], column.kind, as_page_writes=as_page_writes)
        except ValueError as error:
            problems.append(FieldProblem(column.name, str(error), number))
            continue
        if value is not None:
            values[column.name] = value
    return values, problems


def _values_of_absent_columns(entity: Entity, record: Any, header: Sequence[str]) -> dict[str, Any]:
    """The record's current values of the fields whose column the file leaves out, so that a file of a few
    columns updates those alone (an update is a whole record: a field not given would be cleared). A column
    present with a blank cell still clears its field. The version is never taken from the record: a row
    must say which version it edited."""
    fields = entity.update_schema.model_fields
    return {
        column.name: getattr(record, column.name)
        for column in entity.columns
        if not column.export_only
        and column.name not in header
        and column.name in fields
        and column.name != "version"
    }


def _same(session: Session, actor: Actor, entity: Entity, record: Any, data: BaseModel) -> bool:
    """Whether applying ``data`` would change nothing (so an unchanged row is not a new version)."""
    data = entity.as_saved(session, actor, record, data)
    for column in entity.columns:
        if (
            column.export_only
            or column.name in {"id", "version"}
            or column.name not in type(data).model_fields
        ):
            continue
        if _comparable(getattr(record, column.name), column.kind) != _comparable(
            getattr(data, column.name), column.kind
        ):
            return False
    return True


def _comparable(value: Any, kind: str) -> Any:
    # Code lists are sets: their order in a file (or in the database) is not a change.
    if kind == "list":
        return sorted(str(item) for item in value or [])
    return to_cell(value, kind)


def require_may_import(actor: Actor, *, entity_name: str) -> None:
    """Refuse an upload before reading it when the actor may import none of these records."""
    require(permissions.can_import(actor, entity=entity_name), _("You may not import these records."))


def import_table(
    session: Session,
    *,
    actor: Actor,
    entity_name: str,
    content: bytes,
    filename: str,
    numbers_as_page_writes: bool = True,
) -> ImportReport:
    """Import a CSV or xlsx file: every row is validated first; any problem refuses the whole file.

    Amounts are read as PUX's exports write them ("1250000.50") and, with ``numbers_as_page_writes``, as
    the active language writes numbers, as the forms read them (the API import reads the former only).

    Rows that would change nothing are left alone (no new version, no history entry), whoever sends
    them: re-importing one's own export is a no-op even for records one may no longer edit.

    The rows are checked in the session's transaction as it is, a read (on SQLite without the write lock
    when the session was opened without it: checking thousands of rows took a minute, and every other
    save in the site waited for it, then failed). They are saved in a write transaction of their own,
    begun once the file passed (what the session held before is committed first): short, it checks again
    only what may have changed meanwhile, and saves all rows or none."""
    entity = ENTITIES[entity_name]
    require_may_import(actor, entity_name=entity_name)
    checked = _checked_table(session, actor, entity, content, filename, numbers_as_page_writes)
    started = time.perf_counter()
    # What needs no write lock is done before it is taken.
    built = _built(session, actor, entity, checked.planned)
    ahead = _prepared_for_search(session, built)
    write_from_here(session)
    # One savepoint for the whole file: a refusal met while saving a row undoes the rows saved before it.
    with session.begin_nested():
        planned = _checked_again(session, actor, entity, checked)
        report = _apply(session, actor, entity, planned, built, ahead)
    log.info(
        "import applied",
        extra={
            "entity": entity.name,
            "rows": len(planned),
            "check_seconds": round(started - checked.started, 3),
            "apply_seconds": round(time.perf_counter() - started, 3),
        },
    )
    return report


@dataclass
class CheckedTable:
    """A file that passed its checks: its header, its rows as planned, and the cells of the rows that
    update a record with the version each was checked against (to check them again before saving)."""

    header: Sequence[str]
    planned: list[PlannedRow]
    cells: dict[int, dict[str, str]]
    versions: dict[int, int]
    started: float
    # The organisations the file names, held while it is imported: the session looks them up by id for
    # every row, and without a reference kept each lookup read its organisation again.
    held: list[Any] = field(default_factory=list)
    # Whether amounts are also read as the page's language writes them (see import_table).
    as_page_writes: bool = True


def _checked_table(
    session: Session, actor: Actor, entity: Entity, content: bytes, filename: str, as_page_writes: bool
) -> CheckedTable:
    """Every row of the file checked (nothing is written); refused naming every problem."""
    started = time.perf_counter()
    table = read_table(content, filename)
    if not table.header:  # unreadable, or refused as a whole while reading: nothing more to check
        raise ValidationFailed(list(table.problems) or [FieldProblem("file", _("the file is empty"), 1)])
    problems = list(table.problems)
    known = {column.name for column in entity.columns}
    unknown = [name for name in table.header if name and name not in known]
    if unknown:
        problems.append(
            FieldProblem("header", _("unknown columns: %(names)s") % {"names": ", ".join(unknown)}, 1)
        )
    held = _organisations_named(session, table.rows)
    codes = _reference_codes(session, entity)
    exported = _ExportedValues(entity, entity.told_values(session, actor))
    checked = CheckedTable(table.header, [], {}, {}, started, held, as_page_writes)
    seen = SeenInFile()
    for row, number in zip(table.rows, table.row_numbers, strict=True):
        row_problems, plan = _check_row(
            session, actor, entity, table.header, row, number, codes, as_page_writes=as_page_writes
        )
        row_problems += exported.problems_of(row, plan.existing, number)
        row_problems += seen.problems_of(entity, plan.values, number)
        problems += row_problems
        if plan.data is not None and not row_problems:
            checked.planned.append(plan)
            if plan.existing is not None:
                checked.cells[number] = row
                checked.versions[number] = plan.existing.version
    if not table.rows and not problems:
        problems.append(FieldProblem("file", _("the file has no data rows"), 1))
    if problems:
        raise ValidationFailed(problems)
    return checked


def _reference_codes(session: Session, entity: Entity) -> Any:
    return assistance.ReferenceCodes(session) if entity is ACTIVITIES else None


def _organisations_named(session: Session, rows: Sequence[dict[str, str]]) -> list[Any]:
    """The organisations the rows name by number (one lookup each, not one per row)."""
    named: set[int] = set()
    for row in rows:
        for name in ORGANISATION_COLUMNS:
            cell = row.get(name, "").strip()
            if cell.isascii() and cell.isdigit() and 1 <= int(cell) <= MAX_RECORD_ID:
                named.add(int(cell))
    found = (accounts_repository.get_organisation(session, number) for number in sorted(named))
    return [organisation for organisation in found if organisation is not None]


def _checked_again(session: Session, actor: Actor, entity: Entity, checked: CheckedTable) -> list[PlannedRow]:
    """The planned rows once the write transaction has begun. What was checked against the records the
    rows update holds while those records are as they were: each is read again (one query), and a row
    whose record was changed, removed or hidden meanwhile is checked again whole, as if the file had come
    now. The rows' export-only cells (a need's status, its rank) are compared again with the records as
    they are now. The rest - codes, links, rights, identifiers taken meanwhile - is checked again by the
    services as each row is saved, and any refusal refuses the file."""
    updating = [plan for plan in checked.planned if plan.existing is not None]
    if not updating:
        return checked.planned
    now = repository.current_versions(
        session, type(updating[0].existing), [plan.existing.id for plan in updating]
    )
    changed = {plan.number for plan in updating if now.get(plan.existing.id) != checked.versions[plan.number]}
    codes = _reference_codes(session, entity) if changed else None
    exported = _ExportedValues(entity, entity.told_values(session, actor))
    problems: list[FieldProblem] = []
    planned: list[PlannedRow] = []
    for plan in checked.planned:
        if plan.existing is not None:
            row = checked.cells[plan.number]
            if plan.number in changed:
                session.expire(plan.existing)  # read as it is now
                row_problems, plan = _check_row(
                    session,
                    actor,
                    entity,
                    checked.header,
                    row,
                    plan.number,
                    codes,
                    as_page_writes=checked.as_page_writes,
                )
            else:
                row_problems = []
            if plan.existing is not None:  # still visible: its export-only cells compared as it is now
                row_problems += exported.problems_of(row, plan.existing, plan.number)
            problems += row_problems
            if row_problems:
                continue
        planned.append(plan)
    if problems:
        raise ValidationFailed(problems)
    return planned


@dataclass
class PlannedRow:
    """A row as checked: its number, the record it updates (None: a new one), its values and its data
    (None when refused)."""

    number: int
    existing: Any
    values: dict[str, Any]
    data: BaseModel | None = None


def _check_row(
    session: Session,
    actor: Actor,
    entity: Entity,
    header: Sequence[str],
    row: dict[str, str],
    number: int,
    codes: Any,
    *,
    as_page_writes: bool,
) -> tuple[list[FieldProblem], PlannedRow]:
    """Every problem of one row, and the row as it would be saved. A cell that cannot be read is set aside
    and the rest of the row still checked: its other problems came only once that cell was mended."""
    values, row_problems = _row_values(entity, row, number, as_page_writes=as_page_writes)
    existing = _existing(session, actor, entity, values.get("id"))
    if values.get("id") is not None and existing is None:
        # The same answer for "no such record" and "a record you may not see": nothing leaks.
        row_problems.append(FieldProblem("id", _("no record with this id is visible to you"), number))
    if existing is not None:
        row_problems += _create_only_problems(entity, row, existing, number)
        values = {**_values_of_absent_columns(entity, existing, header), **values}
    plan = PlannedRow(number, existing, values)
    set_aside = {problem.field for problem in row_problems}
    if "id" in set_aside:  # which record the row is for is not known: nothing to check the rest against
        return row_problems, plan
    schema = entity.update_schema if existing is not None else entity.create_schema
    try:
        data = schema.model_validate(values)
    except ValidationError as error:
        # A set-aside cell is missing from ``values``: the schema would only say it is required.
        row_problems += [p for p in _schema_problems(error, number) if p.field not in set_aside]
        named = {problem.field for problem in row_problems}
        row_problems += [
            problem
            for problem in _code_problems_of_refused_row(
                session, actor, entity, schema, values, codes, number
            )
            if problem.field not in named
        ]
        return row_problems, plan
    if row_problems or existing is None or not _same(session, actor, entity, existing, data):
        named = {problem.field for problem in row_problems}
        found = _change_problems(session, actor, entity, plan, data, codes)
        row_problems += [problem for problem in found if problem.field not in named]
    if not row_problems:
        plan.data = data
    return row_problems, plan


def create_only_columns(entity: Entity) -> tuple[Column, ...]:
    """The columns a new record takes and an edit does not (a need's country, a programme's organisation):
    the update shape has no such field, so a changed cell in a row updating a record was dropped unseen
    ("unchanged: 1" for a need moved from KEN to UGA)."""
    created = entity.create_schema.model_fields
    updated = entity.update_schema.model_fields
    return tuple(
        column
        for column in entity.columns
        if not column.export_only and column.name in created and column.name not in updated
    )


def _create_only_problems(
    entity: Entity, row: dict[str, str], existing: Any, number: int
) -> list[FieldProblem]:
    """A problem for each create-only cell of a row updating ``existing`` that does not say its value (a
    blank cell too: it would have cleared the field, as a blank cell does elsewhere)."""
    problems = []
    for column in create_only_columns(entity):
        if column.name not in row:
            continue
        value = getattr(existing, column.name)
        if not _same_cell(row[column.name], value, column.kind):
            message = _(
                "cannot be changed once the record exists, by import or in its form (it is '%(value)s')"
            )
            problems.append(
                FieldProblem(column.name, message % {"value": to_cell(value, column.kind)}, number)
            )
    return problems


@dataclass(frozen=True)
class _ExportedValues:
    """The export-only cells of a row (a record's reference, status, rank) are PUX's to set: an import that
    changed one was told nothing ("0 new, 0 updated, 1 unchanged" for a status made "submitted"). A
    changed cell is named instead, and the file refused."""

    entity: Entity
    told: Callable[[Any], dict[str, Any]]

    def problems_of(self, row: dict[str, str], existing: Any, number: int) -> list[FieldProblem]:
        columns = [column for column in self.entity.columns if column.export_only and column.name in row]
        if existing is None:
            filled = [column for column in columns if row[column.name].strip()]
            message = _("is set by PUX, not by an import: leave it empty in a new row")
            return [FieldProblem(column.name, message, number) for column in filled]
        told = self.told(existing)
        problems = []
        for column in columns:
            value = told[column.name] if column.name in told else getattr(existing, column.name)
            if not _same_cell(row[column.name], value, column.kind):
                message = _("cannot be changed by import (it is '%(value)s')")
                problems.append(
                    FieldProblem(column.name, message % {"value": to_cell(value, column.kind)}, number)
                )
        return problems


def _same_cell(cell: str, value: Any, kind: str) -> bool:
    """Whether a cell says ``value`` (as the export wrote it, or as a spreadsheet may have rewritten it)."""
    try:
        return bool(_comparable(from_cell(cell, kind), kind) == _comparable(value, kind))
    except ValueError:  # cannot be read: not the value written
        return False


def _schema_problems(error: ValidationError, number: int) -> list[FieldProblem]:
    """The schema's problems with a row, in the reader's words; a number with too many decimals says how
    many it may have (the shared messages say only "is not valid")."""
    problems = problems_from(error, row=number)
    for index, item in enumerate(error.errors(include_url=False, include_input=False)):
        if item["type"] == "decimal_max_places":
            places = (item.get("ctx") or {}).get("decimal_places")
            message = _("must have at most %(places)s decimals") % {"places": places}
            problems[index] = replace(problems[index], message=message)
    return problems


def _change_problems(
    session: Session, actor: Actor, entity: Entity, plan: PlannedRow, data: BaseModel, codes: Any
) -> list[FieldProblem]:
    """What refuses a row that would create or change a record: its codes, links, rights and version."""
    existing, number = plan.existing, plan.number
    problems = [replace(p, row=number) for p in entity.checks(session, actor, data, existing, codes)]
    edited = getattr(data, "version", None)
    if existing is not None and edited is not None and edited != existing.version:
        message = _("the record was changed since this file was made (now version %(now)s)")
        problems.append(FieldProblem("version", message % {"now": existing.version}, number))
    return problems


@dataclass
class SeenInFile:
    """What the rows read so far took: the records they update and the identifiers they give, each with
    its row (two rows may not update one record, nor give one identifier to two records)."""

    records: dict[int, int] = field(default_factory=dict)
    identifiers: dict[tuple[str, str], int] = field(default_factory=dict)

    def problems_of(self, entity: Entity, values: dict[str, Any], number: int) -> list[FieldProblem]:
        problems = []
        record_id = values.get("id")
        if isinstance(record_id, int):
            first = self.records.setdefault(record_id, number)
            if first != number:
                message = _("this record is already updated by row %(row)s") % {"row": first}
                problems.append(FieldProblem("id", message, number))
        for name in entity.unique_in_file:
            value = values.get(name)
            if not value:
                continue
            first = self.identifiers.setdefault((name, str(value)), number)
            if first != number:
                message = _("row %(row)s of this file already has this identifier") % {"row": first}
                problems.append(FieldProblem(name, message, number))
        return problems


def _code_problems_of_refused_row(
    session: Session,
    actor: Actor,
    entity: Entity,
    schema: type[BaseModel],
    values: dict[str, Any],
    codes: Any,
    number: int,
) -> list[FieldProblem]:
    """The unknown codes of a row whose other fields failed, so the row's problems come all at once."""
    try:
        found = entity.codes_only(session, lenient(schema, _record_numbers_within_keys(values)), codes, actor)
    except (TypeError, ValueError, AttributeError):
        return []  # too garbled for the code checks: its fields are named already
    return [replace(problem, row=number) for problem in found]


def _record_numbers_within_keys(values: dict[str, Any]) -> dict[str, Any]:
    """``values`` without the record numbers no key holds (refused already by the schema): looked up, a
    number past 64 bits fails in the database driver (OverflowError on SQLite) instead of finding nothing."""
    return {
        name: value
        for name, value in values.items()
        if not (_names_a_record(name) and isinstance(value, int) and not 1 <= value <= MAX_RECORD_ID)
    }


def _names_a_record(column_name: str) -> bool:
    return column_name == "id" or column_name.endswith("_id")


def _existing(session: Session, actor: Actor, entity: Entity, record_id: Any) -> Any:
    """The record a row names by id, if the actor may see it (ids beyond a database key are nobody's)."""
    if not isinstance(record_id, int) or not 1 <= record_id <= MAX_RECORD_ID:
        return None
    record = entity.fetch(session, record_id)
    return record if record is not None and entity.visible(actor, record) else None


def _built(session: Session, actor: Actor, entity: Entity, planned: list[PlannedRow]) -> dict[int, Any]:
    """The new records of the planned rows made ready to be saved together (Entity.build), by row number."""
    creating = [plan for plan in planned if plan.existing is None]
    if entity.build is None or not creating:
        return {}
    records = entity.build(session, actor, [plan.data for plan in creating])
    return {plan.number: record for plan, record in zip(creating, records, strict=True)}


def _apply(
    session: Session,
    actor: Actor,
    entity: Entity,
    planned: list[PlannedRow],
    built: dict[int, Any],
    ahead: search_indexing.Ahead,
) -> ImportReport:
    """Save the planned rows (the write lock held meanwhile on SQLite). The saved records are indexed for
    search together at the end, in the same transaction, instead of once a row: writing their documents
    one by one was a third of the time the lock was held."""
    report = ImportReport()
    codes = _reference_codes(session, entity)  # read in this transaction: a code removed meanwhile refuses
    saved: list[Any] = []
    ids: dict[int, int] = {}
    with _search_indexed_at_the_end(session, saved, ahead):
        created = _created_together(session, actor, entity, planned, built, codes)
        for number, record in created.items():
            saved.append(record)
            ids[number] = record.id
        report.created += len(created)
        for plan in planned:
            if plan.number in created:
                continue
            written_before = report.created + report.updated
            try:
                record = _apply_row(session, actor, entity, plan, codes, report)
            except ValidationFailed as refused:  # checked already; a record may have changed since
                raise ValidationFailed(
                    [replace(p, row=plan.number) if p.row is None else p for p in refused.problems]
                ) from refused
            except StaleEdit as stale:
                raise ValidationFailed([FieldProblem("version", str(stale), plan.number)]) from stale
            if report.created + report.updated > written_before:
                saved.append(record)
            ids[plan.number] = record.id
    report.ids = [ids[plan.number] for plan in planned]
    return report


def _created_together(
    session: Session,
    actor: Actor,
    entity: Entity,
    planned: list[PlannedRow],
    built: dict[int, Any],
    codes: Any,
) -> dict[int, Any]:
    """The new records of the planned rows (``built`` before the write transaction), by row number, saved
    together when they still may be (Entity.save); none when something changed since they were checked,
    or when the database refuses one (another request took an identifier meanwhile): everything is then
    saved one row at a time, which names the row refused, as before."""
    creating = [plan for plan in planned if plan.existing is None]
    if not creating or any(plan.number not in built for plan in creating):
        return {}
    records = [built[plan.number] for plan in creating]
    try:
        with session.begin_nested():
            if not entity.save(session, actor, records, [plan.data for plan in creating], codes):
                return {}
            session.flush()  # the audit records too: a refusal is met here, inside the savepoint
    except IntegrityError:
        return {}
    return {plan.number: record for plan, record in zip(creating, records, strict=True)}


def _prepared_for_search(session: Session, built: dict[int, Any]) -> search_indexing.Ahead:
    """What indexing the new records for search needs that their saving does not change (the word
    vectors, their documents' words and meaning), worked out before the write lock is taken, not while
    every other save waits for it."""
    if session.info.get(search_indexing.ENABLED) is False:
        return {}
    return search_indexing.prepare_ahead(session.connection(), built.values())


@contextmanager
def _search_indexed_at_the_end(
    session: Session, saved: list[Any], ahead: search_indexing.Ahead
) -> Iterator[None]:
    """Writes in the block are not indexed for search as each is flushed; the records in ``saved`` are,
    all at once, when the block succeeds (a failed block is rolled back whole: nothing to index)."""
    indexed = session.info.get(search_indexing.ENABLED) is not False
    session.info[search_indexing.ENABLED] = False
    try:
        yield
        session.flush()
    finally:
        session.info.pop(search_indexing.ENABLED, None)
        if not indexed:
            session.info[search_indexing.ENABLED] = False
    if indexed:
        search_indexing.write(session.connection(), saved, ahead=ahead)


def _apply_row(
    session: Session, actor: Actor, entity: Entity, plan: PlannedRow, codes: Any, report: ImportReport
) -> Any:
    existing, data = plan.existing, plan.data
    assert data is not None
    if existing is None:
        report.created += 1
        return entity.create(session, actor, data, codes)
    if _same(session, actor, entity, existing, data):
        report.unchanged += 1
        return existing
    report.updated += 1
    return entity.update(session, actor, existing.id, data, codes)


def export_table(
    session: Session,
    *,
    actor: Actor,
    entity_name: str,
    target: IO[bytes],
    filters: Any = None,
    file_format: str = "csv",
    hxl: bool = False,
) -> None:
    """The records the actor may see, as CSV or xlsx, optionally with an HXL hashtag row, written to
    ``target`` as they are read (a chunk of records in memory at a time)."""
    entity = ENTITIES[entity_name]
    header = [column.name for column in entity.columns]
    records = entity.export(session, actor, filters, header)
    tags = [column.hxl for column in entity.columns] if hxl else None
    if file_format == "xlsx":
        kinds = [column.kind for column in entity.columns]
        texts = ([to_cell(v, kind) for v, kind in zip(record, kinds, strict=True)] for record in records)
        write_xlsx_to(target, header, texts, tags, title=entity.name)
    else:
        writers = [csv_column_writer(column.kind) for column in entity.columns]
        write_neutralised_csv_to(target, header, _cells_by_column(records, writers), tags)


def _cells_by_column(records: ChunkedRows, writers: Sequence[ColumnCells]) -> Iterator[Sequence[Any]]:
    """The CSV cells of ``records``, turned into text a column of a chunk at a time (``ColumnCells``)."""
    for columns in records.chunks():
        yield from zip(*(write(values) for write, values in zip(writers, columns, strict=True)), strict=True)
