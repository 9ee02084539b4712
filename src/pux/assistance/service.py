"""Rules for assistance activities: recorded by (or for) the providing organisation, every write audited."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy.orm import Session

from pux.accounts import permissions
from pux.accounts import repository as accounts_repository
from pux.accounts.permissions import Actor, require
from pux.assistance import repository
from pux.assistance.models import AssistanceActivity
from pux.assistance.repository import ActivityFilter
from pux.assistance.schemas import ActivityCreate, ActivityFields, ActivityUpdate
from pux.audit import service as audit
from pux.audit.models import AuditEvent
from pux.db import ChunkedRows
from pux.errors import FieldProblem, NotFound, ValidationFailed, ensure_current
from pux.i18n import gettext as _
from pux.needs import repository as needs_repository
from pux.pagination import Page, PageRequest
from pux.programmes import repository as programmes_repository
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
    session: Session, data: ActivityFields, codes: ReferenceCodes, row: int | None = None
) -> list[FieldProblem]:
    """Every problem with an activity's codes and links (empty when it may be saved)."""
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
    if isinstance(data.need_id, int) and needs_repository.get(session, data.need_id) is None:
        problems.append(FieldProblem("need_id", _("is not a known need"), row))
    if isinstance(data.programme_id, int) and programmes_repository.get(session, data.programme_id) is None:
        problems.append(FieldProblem("programme_id", _("is not a known programme"), row))
    return problems


def _apply(activity: AssistanceActivity, data: ActivityFields) -> None:
    for name in _FIELDS:
        setattr(activity, name, getattr(data, name))
    activity.search_text = fold_for_search(
        f"{activity.external_id or ''} {activity.title} {activity.implementer or ''}"
    )


def record_activity(
    session: Session,
    *,
    actor: Actor,
    data: ActivityCreate,
    origin: str = "manual",
    codes: ReferenceCodes | None = None,
) -> AssistanceActivity:
    """Record an activity provided by an organisation the actor may act for."""
    require(
        permissions.can_record_activity_for(actor, provider_organisation_id=data.provider_organisation_id),
        _("You may record activities only for organisations you act for."),
    )
    problems = problems_with(session, data, codes or ReferenceCodes(session))
    if data.external_id and repository.get_by_external_id(session, data.external_id) is not None:
        problems.append(FieldProblem("external_id", _("another activity already has this identifier")))
    if problems:
        raise ValidationFailed(problems)
    activity = AssistanceActivity(created_by_id=actor.user_id, origin=origin)
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


def get_activity(session: Session, *, actor: Actor, activity_id: int) -> AssistanceActivity:
    """An activity the actor may see, else NotFound."""
    activity = repository.get(session, activity_id)
    if activity is None or not permissions.can_view_activity(
        actor,
        provider_organisation_id=activity.provider_organisation_id,
        country_iso3=activity.recipient_country_iso3,
        visibility=activity.visibility,
    ):
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
    """Edit an activity of an organisation the actor acts for; a stale edit is refused."""
    activity = get_activity(session, actor=actor, activity_id=activity_id)
    for organisation_id in {activity.provider_organisation_id, data.provider_organisation_id}:
        require(
            permissions.can_record_activity_for(actor, provider_organisation_id=organisation_id),
            _("You may edit activities only of organisations you act for."),
        )
    ensure_current(activity.version, data.version)
    problems = problems_with(session, data, codes or ReferenceCodes(session))
    other = repository.get_by_external_id(session, data.external_id) if data.external_id else None
    if other is not None and other.id != activity.id:
        problems.append(FieldProblem("external_id", _("another activity already has this identifier")))
    if problems:
        raise ValidationFailed(problems)
    before = activity.snapshot()
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
    return repository.list_visible(session, permissions.activity_scope(actor), filters, page)


def export_activity_rows(
    session: Session, *, actor: Actor, filters: ActivityFilter, columns: Sequence[str]
) -> ChunkedRows:
    """Every activity the actor may see, as plain rows read a chunk at a time (for exports)."""
    return repository.export_rows(session, permissions.activity_scope(actor), filters, columns)


def export_activity_chunks(
    session: Session, *, actor: Actor, filters: ActivityFilter, size: int
) -> Iterator[list[AssistanceActivity]]:
    """Every activity the actor may see as records, ``size`` at a time (for the IATI export): the ids of
    everything the actor may see are read first, the records of each chunk only when it is wanted (a
    large export holds one chunk in memory, not every activity)."""
    ids = repository.visible_ids(session, permissions.activity_scope(actor), filters)
    for start in range(0, len(ids), size):
        yield repository.by_ids(session, ids[start : start + size])


def activity_history(session: Session, *, actor: Actor, activity_id: int) -> Sequence[AuditEvent]:
    """The audit trail of an activity the actor may see."""
    activity = get_activity(session, actor=actor, activity_id=activity_id)
    return audit.history(session, entity_type=ENTITY, entity_id=str(activity.id))


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


def parse_activity_form(session: Session, schema: type[ActivityFields], values: dict[str, Any]) -> Any:
    """An activity's form, checked whole: every field and every code at once (nothing is saved)."""
    codes = ReferenceCodes(session)
    return parse_whole(schema, values, lambda data: problems_with(session, data, codes))
