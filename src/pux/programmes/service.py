"""Rules for programmes: only the organisation's own people (or facilitators) publish and edit them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from pux.accounts import permissions
from pux.accounts import repository as accounts_repository
from pux.accounts import service as accounts_service
from pux.accounts.permissions import Actor, require
from pux.audit import service as audit
from pux.audit.models import AuditEvent, utcnow
from pux.db import ChunkedRows
from pux.errors import FieldProblem, InvalidTransition, NotFound, ValidationFailed, ensure_current
from pux.i18n import gettext as _
from pux.pagination import Page, PageRequest
from pux.programmes import repository
from pux.programmes.models import Programme
from pux.programmes.repository import ProgrammeFilter
from pux.programmes.schemas import ProgrammeCreate, ProgrammeFields, ProgrammeUpdate
from pux.reference import repository as reference_repository
from pux.reference.models import (
    Country,
    Currency,
    Region,
    SdgTarget,
    Technique,
    ThematicArea,
    fold_for_search,
)
from pux.reference.vocabulary import income_group_label, programme_status_label
from pux.validation import parse_whole

ENTITY = "programme"
STATUS_MOVES = {"draft": ("published", "closed"), "published": ("closed",), "closed": ("published",)}
_DIRECT_FIELDS = (
    "title",
    "description",
    "modality",
    "eligible_region_codes",
    "eligible_income_groups",
    "eligible_groups",
    "total_budget",
    "remaining_budget",
    "max_per_need",
    "currency",
    "window_start",
    "window_end",
    "working_languages",
    "gender_focus",
    "visibility",
)


def _check_codes(session: Session, data: ProgrammeFields) -> None:
    problems = code_problems(session, data)
    if problems:
        raise ValidationFailed(problems)


def code_problems(session: Session, data: ProgrammeFields) -> list[FieldProblem]:
    """Every unknown code in a programme (empty when all are known)."""
    checks = (
        ("thematic_area_codes", data.thematic_area_codes, ThematicArea.code),
        ("technique_codes", data.technique_codes, Technique.code),
        ("sdg_target_codes", data.sdg_target_codes, SdgTarget.code),
        ("eligible_country_codes", data.eligible_country_codes, Country.iso3),
        ("eligible_region_codes", data.eligible_region_codes, Region.m49),
        ("currency", [data.currency], Currency.code),
    )
    problems = []
    for field, values, column in checks:
        unknown = sorted(set(values) - reference_repository.code_set(session, column))
        if unknown:
            problems.append(FieldProblem(field, _("unknown code: %(codes)s") % {"codes": ", ".join(unknown)}))
    return problems


def _apply(session: Session, programme: Programme, data: ProgrammeFields) -> None:
    # Linked records first, then the changes, so a single flush (and a single version step) follows.
    areas = [
        a for a in reference_repository.list_thematic_areas(session) if a.code in data.thematic_area_codes
    ]
    techniques = [t for t in reference_repository.list_techniques(session) if t.code in data.technique_codes]
    targets = [t for c in data.sdg_target_codes if (t := reference_repository.get_target(session, c))]
    countries = [
        c for code in data.eligible_country_codes if (c := reference_repository.get_country(session, code))
    ]
    with session.no_autoflush:
        for name in _DIRECT_FIELDS:
            setattr(programme, name, getattr(data, name))
        programme.thematic_areas = areas
        programme.techniques = techniques
        programme.sdg_targets = targets
        programme.eligible_countries = countries
        programme.search_text = fold_for_search(f"{programme.title} {programme.description[:2000]}")
        # Written even when only its lists change (rows of other tables): see needs.service._apply_fields.
        programme.updated_at = utcnow()


# The programme's linked records, compared by their codes as sets (kept in the reference lists' order).
_LINKED_CODES = ("thematic_area_codes", "technique_codes", "sdg_target_codes", "eligible_country_codes")


def changes_nothing(programme: Programme, data: ProgrammeFields) -> bool:
    """Whether saving ``data`` would leave the programme as every reader sees it: an edit that changes
    nothing is no new version and no history entry (an unchanged form or PUT was one). Amounts are
    compared as numbers ("1000.00" is 1000). It is answered as saved even when made on an older version:
    nothing of the newer one is overwritten, and a form sent twice or a PUT retried is not "changed by
    someone else" (the version check guards against lost changes, and there is none)."""
    return all(getattr(programme, name) == getattr(data, name) for name in _DIRECT_FIELDS) and all(
        set(getattr(programme, name)) == set(getattr(data, name)) for name in _LINKED_CODES
    )


def create_programme(session: Session, *, actor: Actor, data: ProgrammeCreate) -> Programme:
    """Draft a programme for an organisation the actor represents."""
    require(
        permissions.can_manage_programmes_of(actor, organisation_id=data.organisation_id),
        _("You may publish programmes only for your own organisation."),
    )
    if accounts_repository.get_organisation(session, data.organisation_id) is None:
        raise ValidationFailed([FieldProblem("organisation_id", _("is not a known organisation"))])
    _check_codes(session, data)
    programme = Programme(organisation_id=data.organisation_id, status="draft", created_by_id=actor.user_id)
    _apply(session, programme, data)
    repository.add(session, programme)
    audit.record(
        session,
        actor=actor.label,
        action="programme.create",
        entity_type=ENTITY,
        entity_id=str(programme.id),
        after=programme.snapshot(),
    )
    return programme


def get_programme(session: Session, *, actor: Actor, programme_id: int) -> Programme:
    """A programme the actor may see, else NotFound."""
    programme = repository.get(session, programme_id)
    if programme is None or not permissions.can_view_programme(
        actor,
        organisation_id=programme.organisation_id,
        status=programme.status,
        visibility=programme.visibility,
    ):
        raise NotFound(_("No programme with this number is visible to you."))
    return programme


def update_programme(
    session: Session, *, actor: Actor, programme_id: int, data: ProgrammeUpdate
) -> Programme:
    """Edit a programme of the actor's organisation; a stale edit that changes something is refused, one
    that changes nothing writes nothing."""
    programme = get_programme(session, actor=actor, programme_id=programme_id)
    require(
        permissions.can_manage_programmes_of(actor, organisation_id=programme.organisation_id),
        _("You may edit programmes only of your own organisation."),
    )
    if changes_nothing(programme, data):
        return programme  # see changes_nothing: no new version, no history entry, even from a stale read
    ensure_current(programme.version, data.version)
    _check_codes(session, data)
    before = programme.snapshot()
    _apply(session, programme, data)
    session.flush()
    audit.record(
        session,
        actor=actor.label,
        action="programme.update",
        entity_type=ENTITY,
        entity_id=str(programme.id),
        before=before,
        after=programme.snapshot(),
    )
    return programme


def commit_budget(session: Session, *, actor: Actor, programme: Programme, amount: Decimal) -> None:
    """Take what an accepted proposal commits from the programme's remaining budget, in its history (the
    budget fell with no trace of why: 800,000 one day, 720,000 the next). ``actor`` is the proposal's."""
    if programme.remaining_budget is None:
        return
    before = {"remaining_budget": str(programme.remaining_budget)}
    programme.remaining_budget = max(Decimal(0), programme.remaining_budget - amount)
    session.flush()
    audit.record(
        session,
        actor=actor.label,
        action="programme.update",
        entity_type=ENTITY,
        entity_id=str(programme.id),
        before=before,
        after={"remaining_budget": str(programme.remaining_budget)},
    )


def set_programme_status(
    session: Session, *, actor: Actor, programme_id: int, target: str, version: int
) -> Programme:
    """Publish, close or reopen a programme."""
    programme = get_programme(session, actor=actor, programme_id=programme_id)
    require(
        permissions.can_manage_programmes_of(actor, organisation_id=programme.organisation_id),
        _("You may change programmes only of your own organisation."),
    )
    if target not in STATUS_MOVES.get(programme.status, ()):
        raise InvalidTransition(
            _("A programme that is %(status)s cannot become %(target)s.")
            % {"status": programme_status_label(programme.status), "target": programme_status_label(target)}
        )
    ensure_current(programme.version, version)
    before = {"status": programme.status}
    programme.status = target
    session.flush()
    audit.record(
        session,
        actor=actor.label,
        action=f"programme.{target}",
        entity_type=ENTITY,
        entity_id=str(programme.id),
        before=before,
        after={"status": target},
    )
    return programme


def list_programmes(
    session: Session, *, actor: Actor, filters: ProgrammeFilter, page: PageRequest, whole: bool = True
) -> Page[Programme]:
    """Programmes the actor may see, filtered and paged; ``whole=False`` for lists that show none of their
    areas, techniques, SDG targets or eligible countries (read one programme at a time if asked for)."""
    scope = permissions.programme_scope(actor)
    return repository.list_visible(session, scope, filters, page, whole=whole)


def count_programmes(session: Session, *, actor: Actor, filters: ProgrammeFilter) -> int:
    """How many programmes the actor may see (counted, not loaded)."""
    return repository.count_visible(session, permissions.programme_scope(actor), filters)


def export_programme_rows(
    session: Session, *, actor: Actor, filters: ProgrammeFilter, columns: Sequence[str]
) -> ChunkedRows:
    """Every programme the actor may see, as plain rows read a chunk at a time (for exports)."""
    return repository.export_rows(session, permissions.programme_scope(actor), filters, columns)


def programme_history(session: Session, *, actor: Actor, programme_id: int) -> Sequence[AuditEvent]:
    """The audit trail of a programme the actor may see."""
    programme = get_programme(session, actor=actor, programme_id=programme_id)
    return audit.history(session, entity_type=ENTITY, entity_id=str(programme.id))


def may_manage(actor: Actor, programme: Programme) -> bool:
    """Whether edit and status buttons should be offered."""
    return permissions.can_manage_programmes_of(actor, organisation_id=programme.organisation_id)


def may_publish(actor: Actor) -> bool:
    """Whether the actor represents an organisation that may offer programmes (or acts for all)."""
    return actor.is_global or bool(actor.organisations(permissions.PARTNER, permissions.PROGRAMME_OFFICER))


def require_may_publish(actor: Actor) -> None:
    require(may_publish(actor), _("You may publish programmes only for your own organisation."))


def organisations_for_form(session: Session, *, actor: Actor) -> list[accounts_service.OrganisationName]:
    """The organisations the actor may offer programmes for (every one for a global role), by name."""
    own = actor.organisations(permissions.PARTNER, permissions.PROGRAMME_OFFICER)
    return [o for o in accounts_service.organisation_names(session) if actor.is_global or o.id in own]


def parse_programme_form(session: Session, schema: type[ProgrammeFields], values: dict[str, Any]) -> Any:
    """A programme's form, checked whole: every field and every code at once (nothing is saved)."""

    def problems(data: Any) -> list[FieldProblem]:
        found = code_problems(session, data)
        organisation_id = getattr(data, "organisation_id", None)
        if (
            isinstance(organisation_id, int)
            and accounts_repository.get_organisation(session, organisation_id) is None
        ):
            found.append(FieldProblem("organisation_id", _("is not a known organisation")))
        return found

    return parse_whole(schema, values, problems)


def get_programme_for_edit(session: Session, *, actor: Actor, programme_id: int) -> Programme:
    """A programme the actor may edit (the form is refused to anyone else)."""
    programme = get_programme(session, actor=actor, programme_id=programme_id)
    require(
        permissions.can_manage_programmes_of(actor, organisation_id=programme.organisation_id),
        _("You may edit programmes only of your own organisation."),
    )
    return programme


def move_label(target: str) -> str:
    """The button that moves a programme to ``target``."""
    labels = {"published": _("Publish"), "closed": _("Close"), "draft": _("Reopen as a draft")}
    return labels.get(target, target)


def move_confirmation(target: str) -> str | None:
    """What to confirm before the move (closing stops all matching to the programme)."""
    if target == "closed":
        return _("Close this programme? It will no longer be matched with needs.")
    return None


def move_done_message(status: str) -> str:
    return {
        "published": _("Published: countries and partners can now see this programme."),
        "closed": _("The programme was closed."),
        "draft": _("The programme is a draft again."),
    }.get(status, programme_status_label(status))


def eligible_group_label(code: str) -> str:
    """Country groups a programme may be restricted to."""
    labels = {
        "LDC": _("Least developed countries"),
        "LLDC": _("Landlocked developing countries"),
        "SIDS": _("Small island developing States"),
    }
    return labels.get(code, code)


@dataclass(frozen=True)
class Eligibility:
    """Who a programme is open to, in words a reader can check (empty lists: no restriction there)."""

    regions: list[str]
    countries: list[str]
    income_groups: list[str]
    groups: list[str]

    @property
    def unrestricted(self) -> bool:
        return not (self.regions or self.countries or self.income_groups or self.groups)


def eligibility_summary(session: Session, programme: Programme) -> Eligibility:
    """The programme's eligibility rules named in the reader's language."""
    regions = {region.m49: region.name() for region in reference_repository.list_regions(session)}
    return Eligibility(
        regions=[regions.get(code, code) for code in programme.eligible_region_codes],
        countries=[country.name() for country in programme.eligible_countries],
        income_groups=[income_group_label(code) for code in programme.eligible_income_groups],
        groups=[eligible_group_label(code) for code in programme.eligible_groups],
    )
