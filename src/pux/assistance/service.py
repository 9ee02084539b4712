"""Rules for assistance activities: recorded by (or for) the providing organisation, every write audited."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pux.accounts import permissions
from pux.accounts import repository as accounts_repository
from pux.accounts import service as accounts_service
from pux.accounts.permissions import Actor, require
from pux.assistance import repository
from pux.assistance.models import AssistanceActivity
from pux.assistance.repository import ActivityFilter
from pux.assistance.schemas import ActivityCreate, ActivityFields, ActivityUpdate
from pux.audit import service as audit
from pux.db import ChunkedRows
from pux.errors import FieldProblem, InvalidTransition, NotFound, ValidationFailed, ensure_current
from pux.i18n import gettext as _
from pux.i18n import number_text
from pux.interop.iati.records import COMMITTED_TYPES, DISBURSED_TYPES
from pux.needs import repository as needs_repository
from pux.needs.models import Need
from pux.pagination import Page, PageRequest
from pux.programmes import repository as programmes_repository
from pux.programmes.models import Programme
from pux.reference import repository as reference_repository
from pux.reference.models import (
    Country,
    Currency,
    DacSector,
    SdgGoal,
    SdgTarget,
    Technique,
    ThematicArea,
    fold_for_search,
)
from pux.reference.vocabulary import activity_status_label
from pux.validation import parse_whole

ENTITY = "assistance_activity"


@dataclass(frozen=True)
class IatiFigureSource:
    """Where the figures of an activity imported from IATI come from, for its page."""

    publisher: str | None
    file_name: str
    generated_at: datetime | None
    last_updated: datetime | None
    identifier: str


_FIELDS = tuple(ActivityFields.model_fields)


class ReferenceCodes:
    """The code lists an activity is checked against, read once per request or import."""

    def __init__(self, session: Session) -> None:
        self.countries = reference_repository.code_set(session, Country.iso3)
        self.areas = reference_repository.code_set(session, ThematicArea.code)
        self.techniques = reference_repository.code_set(session, Technique.code)
        self.currencies = reference_repository.code_set(session, Currency.code)
        self.sectors = reference_repository.code_set(session, DacSector.code)
        self.sdg = reference_repository.code_set(session, SdgGoal.code) | reference_repository.code_set(
            session, SdgTarget.code
        )


def problems_with(
    session: Session,
    data: ActivityFields,
    codes: ReferenceCodes,
    row: int | None = None,
    *,
    actor: Actor | None = None,
) -> list[FieldProblem]:
    """Every problem with an activity's codes and links (empty when it may be saved). With an ``actor``, a
    need or programme they may not see is refused in the very words of a missing one: the answer must not
    tell that it exists (nor may the activity then show it to everyone). Without one only existence is
    checked (the import's first reading; saving checks again with the actor)."""
    problems = []

    def unknown(field: str, values: list[str], allowed: set[str]) -> None:
        bad = sorted({str(value) for value in values if value} - allowed)
        if bad:
            problems.append(
                FieldProblem(field, _("unknown code: %(codes)s") % {"codes": ", ".join(bad)}, row)
            )

    unknown("recipient_country_iso3", [data.recipient_country_iso3], codes.countries)
    unknown("thematic_area_code", [data.thematic_area_code] if data.thematic_area_code else [], codes.areas)
    unknown("technique_code", [data.technique_code] if data.technique_code else [], codes.techniques)
    unknown("currency", [data.currency], codes.currencies)
    unknown("dac_sector_codes", data.dac_sector_codes, codes.sectors)
    unknown("sdg_codes", data.sdg_codes, codes.sdg)
    # Only whole numbers reach the database (the unchecked values of a refused form may be any text).
    provider = data.provider_organisation_id
    if isinstance(provider, int) and accounts_repository.get_organisation(session, provider) is None:
        problems.append(FieldProblem("provider_organisation_id", _("is not a known organisation"), row))
    if isinstance(data.need_id, int) and not _need_known_to(session, actor, data.need_id):
        problems.append(FieldProblem("need_id", _("is not a known need"), row))
    if isinstance(data.programme_id, int) and not _programme_known_to(session, actor, data.programme_id):
        problems.append(FieldProblem("programme_id", _("is not a known programme"), row))
    return problems


def _need_known_to(session: Session, actor: Actor | None, need_id: int) -> bool:
    if actor is None:
        return needs_repository.get(session, need_id) is not None
    return need_id in seen_need_ids(session, actor, [need_id])


def _programme_known_to(session: Session, actor: Actor | None, programme_id: int) -> bool:
    if actor is None:
        return programmes_repository.get(session, programme_id) is not None
    return programme_id in seen_programme_ids(session, actor, [programme_id])


def seen_need_ids(session: Session, actor: Actor, ids: Collection[int | None]) -> set[int]:
    """Those of ``ids`` that are needs the actor may see."""
    return repository.ids_among(
        session, Need.id, needs_repository.visible_clause(permissions.need_scope(actor)), ids
    )


def seen_programme_ids(session: Session, actor: Actor, ids: Collection[int | None]) -> set[int]:
    """Those of ``ids`` that are programmes the actor may see."""
    visible = programmes_repository.visible_clause(permissions.programme_scope(actor))
    return repository.ids_among(session, Programme.id, visible, ids)


def seen_activity_ids(session: Session, actor: Actor, ids: Collection[int | None]) -> set[int]:
    """Those of ``ids`` that are activities the actor may see (for the records that link to activities)."""
    visible = repository.visible_clause(permissions.activity_scope(actor))
    return repository.ids_among(session, AssistanceActivity.id, visible, ids)


@dataclass(frozen=True)
class ActivityLinks:
    """The need and programme an activity is linked to as a reader may know them: None where there is no
    link or where the linked record is one the reader may not see (a link, its number or a dead-end link
    would tell them it exists)."""

    need_id: int | None
    programme_id: int | None
    # The funder's activity an imported one is counted in (IATI): it may be another provider's private one.
    counted_in_activity_id: int | None = None


def links_seen_by(
    session: Session, *, actor: Actor, activities: Sequence[AssistanceActivity]
) -> dict[int, ActivityLinks]:
    """The links of each of ``activities`` (by id) that ``actor`` may see."""
    needs = seen_need_ids(session, actor, [activity.need_id for activity in activities])
    programmes = seen_programme_ids(session, actor, [activity.programme_id for activity in activities])
    counted_in = seen_activity_ids(
        session, actor, [activity.counted_in_activity_id for activity in activities]
    )
    return {
        activity.id: ActivityLinks(
            need_id=activity.need_id if activity.need_id in needs else None,
            programme_id=activity.programme_id if activity.programme_id in programmes else None,
            counted_in_activity_id=(
                activity.counted_in_activity_id if activity.counted_in_activity_id in counted_in else None
            ),
        )
        for activity in activities
    }


def keep_hidden_links(
    session: Session, actor: Actor, activity: AssistanceActivity, data: ActivityUpdate
) -> ActivityUpdate:
    """An edit by someone who may not see the activity's need or programme: they were shown no link, so a
    link they leave empty is the one they could not see, kept as it is (neither seen nor undone by them)."""
    shown = links_seen_by(session, actor=actor, activities=[activity])[activity.id]
    kept: dict[str, int | None] = {}
    if data.need_id is None and activity.need_id is not None and shown.need_id is None:
        kept["need_id"] = activity.need_id
    if data.programme_id is None and activity.programme_id is not None and shown.programme_id is None:
        kept["programme_id"] = activity.programme_id
    return data.model_copy(update=kept) if kept else data


def changes_nothing(activity: AssistanceActivity, data: ActivityFields) -> bool:
    """Whether saving ``data`` (with the hidden links kept) would leave the activity as every reader sees
    it: an edit that changes nothing is no new version and no history entry ("1000.00" -> "1000" was one;
    amounts are compared as numbers). It is answered as saved even when made on an older version: nothing
    of the newer one is overwritten, and a form sent twice or a PUT retried is not "changed by someone
    else" (the version check guards against lost changes, and there is none to lose)."""
    return all(getattr(activity, name) == getattr(data, name) for name in _FIELDS)


def _apply(activity: AssistanceActivity, data: ActivityFields) -> None:
    for name in _FIELDS:
        setattr(activity, name, getattr(data, name))
    activity.search_text = search_text_of(activity)


def search_text_of(activity: AssistanceActivity) -> str:
    """The folded words an activity is found by: its identifiers (the provider's own and, for one imported
    from IATI, its IATI identifier), its title and its implementer. Built here alone, by every write: an
    edit built it without the IATI identifier, and the activity was no longer found by it."""
    identifiers = dict.fromkeys(name for name in (activity.external_id, activity.iati_identifier) if name)
    return fold_for_search(" ".join([*identifiers, activity.title, activity.implementer or ""]))


def identifier_problems(
    session: Session, *, actor: Actor, data: ActivityFields, activity: AssistanceActivity | None = None
) -> list[FieldProblem]:
    """Why ``activity`` (None: a new one) may not take the external identifier of ``data``; empty when it
    may. Identifiers are unique in PUX, and the refusal must not tell who holds one the actor may not see:
    "another activity already has this identifier" is said only of an activity the actor may see. An
    identifier that begins with the IATI reference of an organisation other than the provider is refused
    whether or not it is taken (IATI identifiers begin with their reporting organisation's reference), so
    typing another publisher's identifiers tells nothing of its activities, private ones included."""
    identifier = data.external_id
    if not identifier or (activity is not None and activity.external_id == identifier):
        return []  # kept as it is: an edit of other fields is no new claim on the identifier
    if _owner_of_iati_prefix(session, identifier) not in (None, data.provider_organisation_id):
        message = _(
            "this identifier cannot be used: it begins with the IATI reference of an organisation other "
            "than the provider"
        )
        return [FieldProblem("external_id", message)]
    holder = repository.get_by_external_id(session, identifier)
    if holder is None or (activity is not None and holder.id == activity.id):
        return []
    if permissions.can_view_activity(
        actor,
        provider_organisation_id=holder.provider_organisation_id,
        country_iso3=holder.recipient_country_iso3,
        visibility=holder.visibility,
    ):
        return [FieldProblem("external_id", _("another activity already has this identifier"))]
    return [FieldProblem("external_id", _("this identifier cannot be used: choose another"))]


def _owner_of_iati_prefix(session: Session, identifier: str) -> int | None:
    """The organisation whose IATI reference the identifier begins with (followed by "-"), the longest
    such reference when several are; None when it begins with none."""
    prefixes = _iati_prefixes(identifier)
    return _prefix_owner(prefixes, repository.organisations_by_iati_reference(session, prefixes))


def _iati_prefixes(identifier: str) -> list[str]:
    """The IATI references an identifier may begin with (followed by "-"), shortest first."""
    parts = identifier.split("-")
    return ["-".join(parts[:length]) for length in range(1, len(parts))]


def _prefix_owner(prefixes: Sequence[str], owners: dict[str, int]) -> int | None:
    return next((owners[prefix] for prefix in reversed(prefixes) if prefix in owners), None)


@contextmanager
def _identifier_taken_meanwhile_refused(
    session: Session, *, actor: Actor, data: ActivityFields, activity: AssistanceActivity | None = None
) -> Iterator[None]:
    """Write in a savepoint: another request that took the identifier between the check and this write
    makes the database refuse it, and the write is then undone whole and refused as the check would have
    refused it (not a 500, nor "someone else changed this record")."""
    try:
        with session.begin_nested():
            yield
    except IntegrityError:
        problems = identifier_problems(session, actor=actor, data=data, activity=activity)
        if not problems:
            raise  # another constraint: not the identifier's to explain
        raise ValidationFailed(problems) from None


class ExistingActivityFound(InvalidTransition):
    """A new activity for a need and programme that already have one: most often the same money (the
    pipeline activity recorded when both sides accepted a proposal), which would then be counted twice in
    the gaps and published twice to IATI. Saved only once the person confirms it is a separate one."""

    def __init__(self, message: str, existing: AssistanceActivity) -> None:
        super().__init__(message)
        self.existing = existing


def existing_activity_for(
    session: Session, *, actor: Actor, data: ActivityFields
) -> AssistanceActivity | None:
    """The activity the actor may see already linked to the same need and programme as ``data`` (a
    cancelled one commits nothing, so it is not one), or None."""
    if not (isinstance(data.need_id, int) and isinstance(data.programme_id, int)):
        return None
    found = repository.for_need_and_programme(session, data.need_id, data.programme_id)
    return next((a for a in found if a.status != "cancelled" and may_see(actor, a)), None)


def may_see(actor: Actor, activity: AssistanceActivity) -> bool:
    """Whether ``actor`` may see ``activity`` (its provider, country and visibility)."""
    return permissions.can_view_activity(
        actor,
        provider_organisation_id=activity.provider_organisation_id,
        country_iso3=activity.recipient_country_iso3,
        visibility=activity.visibility,
    )


def _refuse_unconfirmed_second(session: Session, actor: Actor, data: ActivityFields) -> None:
    existing = existing_activity_for(session, actor=actor, data=data)
    if existing is None:
        return
    need = needs_repository.get(session, existing.need_id) if existing.need_id else None
    amount = (
        f"{number_text(float(existing.amount_committed), 2)} {existing.currency}"
        if existing.amount_committed is not None
        else _("no amount committed")
    )
    message = _(
        "Need %(need)s already has activity %(activity)s from this programme (%(status)s, %(amount)s): "
        "edit it instead, or confirm this is a separate activity."
    ) % {
        "need": need.reference if need else data.need_id,
        "activity": existing.id,
        "status": activity_status_label(existing.status),
        "amount": amount,
    }
    raise ExistingActivityFound(message, existing)


def record_activity(
    session: Session,
    *,
    actor: Actor,
    data: ActivityCreate,
    origin: str = "manual",
    codes: ReferenceCodes | None = None,
    ask_before_another: bool = False,
) -> AssistanceActivity:
    """Record an activity provided by an organisation the actor may act for. ``ask_before_another``
    (a person recording one, on the form or the API, who has not confirmed it is separate): an activity
    for a need and programme that already have one the actor may see is refused (ExistingActivityFound)."""
    require(
        permissions.can_record_activity_for(actor, provider_organisation_id=data.provider_organisation_id),
        _("You may record activities only for organisations you act for."),
    )
    problems = problems_with(session, data, codes or ReferenceCodes(session), actor=actor)
    problems += identifier_problems(session, actor=actor, data=data)
    if problems:
        raise ValidationFailed(problems)
    if ask_before_another:
        _refuse_unconfirmed_second(session, actor, data)
    activity = AssistanceActivity(created_by_id=actor.user_id, origin=origin)
    with _identifier_taken_meanwhile_refused(session, actor=actor, data=data):
        _apply(activity, data)
        repository.add(session, activity)
    audit.record(
        session,
        actor=actor.label,
        action="activity.create",
        entity_type=ENTITY,
        entity_id=str(activity.id),
        after=activity.snapshot(),
    )
    return activity


def activities_of(*, actor: Actor, datas: Sequence[ActivityCreate], origin: str) -> list[AssistanceActivity]:
    """New activities of ``datas`` as record_activity makes each, not yet saved: what an import makes of
    its new rows before it takes the write lock (record_activities saves them in it)."""
    made = []
    for data in datas:
        activity = AssistanceActivity(created_by_id=actor.user_id, origin=origin)
        _apply(activity, data)
        made.append(activity)
    return made


def record_activities(
    session: Session,
    *,
    actor: Actor,
    activities: Sequence[AssistanceActivity],
    datas: Sequence[ActivityCreate],
    codes: ReferenceCodes,
) -> bool:
    """Save ``activities`` (activities_of ``datas``) as record_activity saves each: what it checks checked
    again as the database is now, for all of them at once (a query each for their needs, programmes,
    identifiers and the organisations their identifiers begin with, not three or four an activity), its
    audit record written; all of them with a statement per table. False, with nothing written, when one
    may no longer be saved: record_activity, one by one, then names the refusal."""
    if not _may_all_be_recorded(session, actor, datas, codes):
        return False
    for activity, activity_id in zip(activities, repository.new_ids(session, len(activities)), strict=True):
        activity.id = activity_id
    repository.add_all(session, activities)
    audit.record_created(
        session, actor=actor.label, action="activity.create", entity_type=ENTITY, records=activities
    )
    return True


def _may_all_be_recorded(
    session: Session, actor: Actor, datas: Sequence[ActivityCreate], codes: ReferenceCodes
) -> bool:
    """Whether record_activity would record each of ``datas`` (its provider, codes, links, identifier)."""
    providers = {data.provider_organisation_id for data in datas}
    if not all(permissions.can_record_activity_for(actor, provider_organisation_id=p) for p in providers):
        return False
    need_ids = {data.need_id for data in datas if data.need_id is not None}
    programme_ids = {data.programme_id for data in datas if data.programme_id is not None}
    if need_ids - seen_need_ids(session, actor, need_ids):
        return False
    if programme_ids - seen_programme_ids(session, actor, programme_ids):
        return False
    # The links were checked above, for all the rows at once: the rest of the checks read no table.
    unlinked = (data.model_copy(update={"need_id": None, "programme_id": None}) for data in datas)
    if any(problems_with(session, data, codes, actor=actor) for data in unlinked):
        return False
    return _identifiers_free(session, datas)


def _identifiers_free(session: Session, datas: Sequence[ActivityCreate]) -> bool:
    """Whether no activity holds the external identifiers of ``datas``, and none begins with the IATI
    reference of an organisation other than its provider (identifier_problems, for all at once; the
    second rule is not one the database keeps)."""
    providers = {data.external_id: data.provider_organisation_id for data in datas if data.external_id}
    if repository.external_ids_taken(session, providers.keys()):
        return False
    prefixes = {identifier: _iati_prefixes(identifier) for identifier in providers}
    owners = repository.organisations_by_iati_reference(
        session, {prefix for found in prefixes.values() for prefix in found}
    )
    return all(_prefix_owner(prefixes[i], owners) in (None, provider) for i, provider in providers.items())


def get_activity(session: Session, *, actor: Actor, activity_id: int) -> AssistanceActivity:
    """An activity the actor may see, else NotFound."""
    activity = repository.get(session, activity_id)
    if activity is None or not may_see(actor, activity):
        raise NotFound(_("No activity with this number is visible to you."))
    return activity


def update_activity(
    session: Session,
    *,
    actor: Actor,
    activity_id: int,
    data: ActivityUpdate,
    codes: ReferenceCodes | None = None,
) -> AssistanceActivity:
    """Edit an activity of an organisation the actor acts for; a stale edit that changes something is
    refused, one that changes nothing writes nothing."""
    activity = get_activity(session, actor=actor, activity_id=activity_id)
    for organisation_id in {activity.provider_organisation_id, data.provider_organisation_id}:
        require(
            permissions.can_record_activity_for(actor, provider_organisation_id=organisation_id),
            _("You may edit activities only of organisations you act for."),
        )
    kept = keep_hidden_links(session, actor, activity, data)
    if changes_nothing(activity, kept):
        return activity  # see changes_nothing: no new version, no history entry, even from a stale read
    ensure_current(activity.version, data.version)
    # The links as sent are checked (a hidden one kept is not the editor's to be refused), then kept.
    problems = problems_with(session, data, codes or ReferenceCodes(session), actor=actor)
    data = kept
    problems += identifier_problems(session, actor=actor, data=data, activity=activity)
    if problems:
        raise ValidationFailed(problems)
    before = activity.snapshot()
    with _identifier_taken_meanwhile_refused(session, actor=actor, data=data, activity=activity):
        _apply(activity, data)
        session.flush()
    audit.record(
        session,
        actor=actor.label,
        action="activity.update",
        entity_type=ENTITY,
        entity_id=str(activity.id),
        before=before,
        after=activity.snapshot(),
    )
    return activity


def list_activities(
    session: Session, *, actor: Actor, filters: ActivityFilter, page: PageRequest
) -> Page[AssistanceActivity]:
    """Activities the actor may see, filtered and paged."""
    filters = _filters_seen_by(session, actor, filters)
    return repository.list_visible(session, permissions.activity_scope(actor), filters, page)


# A need number no need has: asking for the activities of a need the actor may not see finds what the
# activities of a missing need would (none), not which visible activities serve the hidden need.
_NO_NEED = -1


def _filters_seen_by(session: Session, actor: Actor, filters: ActivityFilter) -> ActivityFilter:
    if filters.need_id and filters.need_id not in seen_need_ids(session, actor, [filters.need_id]):
        return replace(filters, need_id=_NO_NEED)
    return filters


def export_activity_rows(
    session: Session, *, actor: Actor, filters: ActivityFilter, columns: Sequence[str]
) -> ChunkedRows:
    """Every activity the actor may see, as plain rows read a chunk at a time (for exports); a linked need
    or programme the actor may not see is left empty, as on the activity's page."""
    filters = _filters_seen_by(session, actor, filters)
    rows = repository.export_rows(session, permissions.activity_scope(actor), filters, columns)
    if not {"need_id", "programme_id"} & set(columns):
        return rows
    return ChunkedRows(lambda: _unseen_links_emptied(session, actor, columns, rows.chunks()))


def _unseen_links_emptied(
    session: Session, actor: Actor, columns: Sequence[str], chunks: Iterator[list[Sequence[Any]]]
) -> Iterator[list[Sequence[Any]]]:
    """Each chunk (a list of values per column) with the needs and programmes the actor may not see
    emptied."""
    seen_by_column = {"need_id": seen_need_ids, "programme_id": seen_programme_ids}
    for chunk in chunks:
        chunk = list(chunk)
        for index, name in enumerate(columns):
            if name in seen_by_column:
                seen = seen_by_column[name](session, actor, chunk[index])
                chunk[index] = [value if value in seen else None for value in chunk[index]]
        yield chunk


def export_activity_chunks(
    session: Session, *, actor: Actor, filters: ActivityFilter, size: int
) -> Iterator[list[AssistanceActivity]]:
    """Every activity the actor may see as records, ``size`` at a time (for the IATI export): the ids of
    everything the actor may see are read first, the records of each chunk only when it is wanted (a
    large export holds one chunk in memory, not every activity)."""
    filters = _filters_seen_by(session, actor, filters)
    ids = repository.visible_ids(session, permissions.activity_scope(actor), filters)
    for start in range(0, len(ids), size):
        yield repository.by_ids(session, ids[start : start + size])


def activity_history(session: Session, *, actor: Actor, activity_id: int) -> list[audit.HistoryEntry]:
    """The audit trail of an activity the actor may see; the numbers of needs and programmes the actor may
    not see are left out of it (an old link would name them as plainly as the page once did)."""
    activity = get_activity(session, actor=actor, activity_id=activity_id)
    events = audit.history(session, entity_type=ENTITY, entity_id=str(activity.id))
    snapshots = [snapshot for event in events for snapshot in (event.before, event.after) if snapshot]
    needs = seen_need_ids(session, actor, [snapshot.get("need_id") for snapshot in snapshots])
    programmes = seen_programme_ids(session, actor, [snapshot.get("programme_id") for snapshot in snapshots])

    def shown(snapshot: dict[str, Any] | None) -> dict[str, Any] | None:
        if snapshot is None:
            return None
        return {
            **snapshot,
            "need_id": snapshot.get("need_id") if snapshot.get("need_id") in needs else None,
            "programme_id": snapshot.get("programme_id")
            if snapshot.get("programme_id") in programmes
            else None,
        }

    return [
        audit.HistoryEntry(
            event.occurred_at, event.actor, event.action, shown(event.before), shown(event.after)
        )
        for event in events
    ]


def is_current(activity: AssistanceActivity, on: date) -> bool:
    """Running on a date (for coordination views)."""
    started = activity.start_date is None or activity.start_date <= on
    not_ended = activity.end_date is None or activity.end_date >= on
    return started and not_ended and activity.status not in repository.ENDED_STATUSES


def may_edit(actor: Actor, activity: AssistanceActivity) -> bool:
    """Whether the edit form should be offered."""
    return permissions.can_record_activity_for(
        actor, provider_organisation_id=activity.provider_organisation_id
    )


def may_import_iati(actor: Actor) -> bool:
    """Whether the link to the IATI upload page should be offered."""
    return permissions.can_import_iati(actor)


@dataclass(frozen=True)
class AmountInCurrency:
    amount: Decimal
    currency: str


def amounts_by_currency(session: Session, activity: AssistanceActivity) -> dict[str, list[AmountInCurrency]]:
    """An imported activity's committed and disbursed totals in each currency its IATI file states them in,
    for each of the two that is stated in a currency other than the activity's (its own figure is then
    left empty: PUX converts nothing, and the page said "not stated" of amounts the file stated). Empty
    for an activity recorded in PUX."""
    if not activity.iati_identifier:
        return {}
    found: dict[str, dict[str, Decimal]] = {"committed": {}, "disbursed": {}}
    for kind, currency, total in repository.transaction_totals(session, activity.id):
        which = "committed" if kind in COMMITTED_TYPES else "disbursed" if kind in DISBURSED_TYPES else None
        if which is None:
            continue
        # A transaction that names no currency is in the file's default, which need not be the activity's.
        code = currency or activity.iati_default_currency or activity.currency
        found[which][code] = found[which].get(code, Decimal(0)) + Decimal(total)
    return {
        which: [AmountInCurrency(amount, code) for code, amount in sorted(totals.items())]
        for which, totals in found.items()
        if set(totals) - {activity.currency}
    }


# IATI sector vocabularies of the OECD DAC: 5-digit purpose codes and 3-digit categories.
DAC_PURPOSE_CODES = "1"
DAC_CATEGORIES = "2"


@dataclass(frozen=True)
class SectorShare:
    code: str
    percentage: Decimal | None


def dac_sector_shares(session: Session, activity: AssistanceActivity) -> list[SectorShare]:
    """The DAC sectors an imported activity's IATI file gives, with their shares, when they say more than
    its purpose codes (which PUX keeps in ``dac_sector_codes``): how the activity is shared between them,
    or a 3-digit category, which that 5-digit field cannot hold (the page said "DAC sectors —" of an
    activity 60 % in 311 and 40 % in 312). Empty otherwise, and for an activity recorded in PUX."""
    if not activity.iati_identifier:
        return []
    splits = [
        (vocabulary, code, percentage)
        for vocabulary, code, percentage in repository.sector_splits(session, activity.id)
        if vocabulary in (DAC_PURPOSE_CODES, DAC_CATEGORIES)
    ]
    says_more = any(
        vocabulary == DAC_CATEGORIES or (share is not None and share != 100)
        for vocabulary, code, share in splits
    )
    return [SectorShare(code, share) for vocabulary, code, share in splits] if says_more else []


def iati_source_of(activity: AssistanceActivity) -> IatiFigureSource | None:
    """Where an imported activity's figures come from: the publisher, the file and its generated date."""
    source = activity.iati_source
    if source is None or not activity.iati_identifier:
        return None
    return IatiFigureSource(
        publisher=source.publisher_name or activity.iati_reporting_org_ref,
        file_name=source.file_name,
        generated_at=_utc(source.generated_at),
        last_updated=_utc(activity.iati_last_updated),
        identifier=activity.iati_identifier,
    )


def _utc(moment: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; PUX stores UTC."""
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def may_record(actor: Actor) -> bool:
    """Whether the actor acts for an organisation that provides assistance (or for all)."""
    return actor.is_global or bool(actor.organisations(permissions.PARTNER, permissions.PROGRAMME_OFFICER))


def provider_choices(session: Session, actor: Actor) -> list[accounts_service.OrganisationName]:
    """The organisations the actor may record an activity for: what the form's Provider offers."""
    names = accounts_service.organisation_names(session)
    if actor.is_global:  # every organisation: no need to ask of each of thousands
        return names
    return [
        name for name in names if permissions.can_record_activity_for(actor, provider_organisation_id=name.id)
    ]


def require_may_record(actor: Actor) -> None:
    require(may_record(actor), _("You may record activities only for your own organisation."))


def get_activity_for_edit(session: Session, *, actor: Actor, activity_id: int) -> AssistanceActivity:
    """An activity the actor may edit (the form is refused to anyone else)."""
    activity = get_activity(session, actor=actor, activity_id=activity_id)
    require(
        permissions.can_record_activity_for(
            actor, provider_organisation_id=activity.provider_organisation_id
        ),
        _("You may edit activities only of your own organisation."),
    )
    return activity


def parse_activity_form(
    session: Session, schema: type[ActivityFields], values: dict[str, Any], *, actor: Actor
) -> Any:
    """An activity's form, checked whole: every field, code and link at once (nothing is saved)."""
    codes = ReferenceCodes(session)
    return parse_whole(schema, values, lambda data: problems_with(session, data, codes, actor=actor))


def form_values(session: Session, *, actor: Actor, activity: AssistanceActivity) -> dict[str, Any]:
    """The edit form's values of an activity: a need or programme the editor may not see is left empty
    (saving keeps it, see keep_hidden_links)."""
    values = {name: getattr(activity, name) for name in ActivityUpdate.model_fields}
    links = links_seen_by(session, actor=actor, activities=[activity])[activity.id]
    values.update(need_id=links.need_id, programme_id=links.programme_id)
    return values
