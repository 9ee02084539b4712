"""Rules of the needs registry: who may draft, edit, clear, rank and see a need; every write audited."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from pux.accounts import permissions
from pux.accounts import repository as accounts_repository
from pux.accounts.permissions import Actor, require
from pux.audit import service as audit
from pux.audit.models import utcnow
from pux.db import ChunkedRows
from pux.errors import FieldProblem, InvalidTransition, NotFound, ValidationFailed, ensure_current
from pux.i18n import gettext as _
from pux.needs import repository, workflow
from pux.needs.models import Need
from pux.needs.repository import NeedFilter
from pux.needs.schemas import NeedCreate, NeedFields, NeedUpdate
from pux.pagination import Page, PageRequest
from pux.reference import repository as reference_repository
from pux.reference.models import Country, Currency, SdgTarget, Technique, ThematicArea, fold_for_search
from pux.validation import parse_whole

ENTITY = "need"
_FIELDS_SET_DIRECTLY = (
    "title",
    "description",
    "thematic_area_code",
    "modalities_wanted",
    "beneficiaries_count",
    "beneficiaries_women_share",
    "beneficiary_description",
    "gender_dimension",
    "vulnerable_groups",
    "estimated_cost",
    "currency",
    "cofinancing_amount",
    "cofinancing_note",
    "regulatory_body",
    "infrastructure",
    "trained_staff",
    "horizon",
    "national_plan_reference",
    "cpf_priority",
    "tc_project_code",
    "unfunded_footnote_a",
    "visibility",
    "organisation_id",
)


def _check_codes(session: Session, data: NeedFields, country_iso3: str | None = None) -> None:
    """Refuse unknown codes, naming each field (nothing is saved)."""
    problems = code_problems(session, data, country_iso3)
    if problems:
        raise ValidationFailed(problems)


def code_problems(session: Session, data: NeedFields, country_iso3: str | None = None) -> list[FieldProblem]:
    """Every unknown code in a need (empty when all are known)."""
    problems: list[FieldProblem] = []
    if country_iso3 is not None and country_iso3 not in reference_repository.code_set(session, Country.iso3):
        problems.append(
            FieldProblem("country_iso3", _("'%(code)s' is not a known country code") % {"code": country_iso3})
        )
    if data.thematic_area_code not in reference_repository.code_set(session, ThematicArea.code):
        problems.append(FieldProblem("thematic_area_code", _("is not a thematic area")))
    unknown_techniques = set(data.technique_codes) - reference_repository.code_set(session, Technique.code)
    if unknown_techniques:
        problems.append(
            FieldProblem(
                "technique_codes",
                _("unknown technique: %(codes)s") % {"codes": ", ".join(sorted(unknown_techniques))},
            )
        )
    unknown_targets = set(data.sdg_target_codes) - reference_repository.code_set(session, SdgTarget.code)
    if unknown_targets:
        problems.append(
            FieldProblem(
                "sdg_target_codes",
                _("not an SDG target: %(codes)s") % {"codes": ", ".join(sorted(unknown_targets))},
            )
        )
    if data.currency not in reference_repository.code_set(session, Currency.code):
        problems.append(FieldProblem("currency", _("is not an ISO 4217 currency code")))
    if (
        data.organisation_id is not None
        and accounts_repository.get_organisation(session, data.organisation_id) is None
    ):
        problems.append(FieldProblem("organisation_id", _("is not a known organisation")))
    return problems


def parse_need_form(session: Session, schema: type[NeedFields], values: dict[str, Any]) -> Any:
    """A need's form, checked whole: every field and every code at once (nothing is saved)."""
    return parse_whole(
        schema, values, lambda data: code_problems(session, data, getattr(data, "country_iso3", None))
    )


def _techniques(session: Session, codes: Iterable[str]) -> list[Technique]:
    """The techniques of these codes, in their list's order: each looked up by its key (found in the
    session once read), not the whole list read again for every need of an import."""
    found = (session.get(Technique, code) for code in set(codes))
    return sorted((technique for technique in found if technique is not None), key=lambda t: t.position)


def _apply_fields(session: Session, need: Need, data: NeedFields) -> None:
    # Look up the linked records before touching the need, so no half-applied change is flushed early
    # (each flush of a changed need bumps its version).
    techniques = _techniques(session, data.technique_codes)
    targets = [
        target for code in data.sdg_target_codes if (target := reference_repository.get_target(session, code))
    ]
    with session.no_autoflush:
        for name in _FIELDS_SET_DIRECTLY:
            setattr(need, name, getattr(data, name))
        need.techniques = techniques
        need.sdg_targets = targets
        _set_search_text(need)
        # Written even when only the techniques or targets change (rows of other tables): the need's own row
        # was then left as it was, with no new version, so an edit made meanwhile from the same version
        # overwrote the change without a 409, and what is kept by the needs' versions never saw it.
        need.updated_at = utcnow()


def _set_search_text(need: Need) -> None:
    need.search_text = fold_for_search(f"{need.reference} {need.title} {need.description[:2000]}")


def changes_nothing(need: Need, data: NeedFields) -> bool:
    """Whether saving ``data`` would leave the need as every reader sees it: an edit that changes nothing
    is no new version and no history entry (an unchanged form or PUT was one, in the need's public
    history too). Amounts are compared as numbers ("1000.00" is 1000), techniques and SDG targets as sets
    (the need keeps them in the lists' order). It is answered as saved even when made on an older
    version: nothing of the newer one is overwritten, and a form sent twice or a PUT retried is not
    "changed by someone else" (the version check guards against lost changes, and there is none)."""
    return (
        all(getattr(need, name) == getattr(data, name) for name in _FIELDS_SET_DIRECTLY)
        and set(need.technique_codes) == set(data.technique_codes)
        and set(need.sdg_target_codes) == set(data.sdg_target_codes)
    )


def create_need(session: Session, *, actor: Actor, data: NeedCreate) -> Need:
    """Draft a new need for a country."""
    require_may_draft_for(actor, country_iso3=data.country_iso3)
    _check_codes(session, data, data.country_iso3)
    need = Need(
        country_iso3=data.country_iso3,
        status=workflow.DRAFT,
        created_by_id=actor.user_id,
        reference=repository.next_reference(session, data.country_iso3, date.today().year),
    )
    _apply_fields(session, need, data)
    repository.add(session, need)
    audit.record(
        session,
        actor=actor.label,
        action="need.create",
        entity_type=ENTITY,
        entity_id=str(need.id),
        after=need.snapshot(),
    )
    return need


def drafts_of(session: Session, *, actor: Actor, datas: Sequence[NeedCreate]) -> list[Need]:
    """New needs of ``datas`` as create_need drafts each, not yet saved nor given their reference: what an
    import makes of its new rows before it takes the write lock (create_drafts saves them in it)."""
    drafts = []
    for data in datas:
        need = Need(country_iso3=data.country_iso3, status=workflow.DRAFT, created_by_id=actor.user_id)
        _apply_fields(session, need, data)
        drafts.append(need)
    return drafts


def create_drafts(
    session: Session, *, actor: Actor, drafts: Sequence[Need], datas: Sequence[NeedCreate]
) -> bool:
    """Save ``drafts`` (drafts_of ``datas``) as create_need saves each: its permission and codes checked
    again as the database is now, its reference given, its audit record written; all of them with a
    statement per table, not a few per need. False, with nothing written, when one may no longer be
    saved: create_need, one by one, then names the refusal."""
    if any(not permissions.can_create_need(actor, country_iso3=data.country_iso3) for data in datas):
        return False
    if any(code_problems(session, data, data.country_iso3) for data in datas):
        return False
    year = date.today().year
    for need, need_id in zip(drafts, repository.new_ids(session, len(drafts)), strict=True):
        need.id = need_id
        need.reference = repository.next_reference(session, need.country_iso3, year)
        _set_search_text(need)  # now that its reference is known
    repository.add_all(session, drafts)
    audit.record_created(session, actor=actor.label, action="need.create", entity_type=ENTITY, records=drafts)
    return True


def require_may_draft(actor: Actor) -> None:
    """Refuse the drafting form to someone who may draft for no country."""
    draftable = draftable_countries(actor)
    require(draftable is None or bool(draftable), _("You may draft needs only for your own country."))


def require_may_draft_for(actor: Actor, *, country_iso3: str) -> None:
    """Refuse a need drafted for a country the actor may not draft for."""
    require(
        permissions.can_create_need(actor, country_iso3=country_iso3),
        _("You may draft needs only for your own country."),
    )


def get_need_for_edit(session: Session, *, actor: Actor, need_id: int) -> Need:
    """A need the actor may edit now (the edit form is refused, not shown, to anyone else)."""
    need = get_need(session, actor=actor, need_id=need_id)
    require(
        permissions.can_edit_need(actor, country_iso3=need.country_iso3, status=need.status),
        _("You may not edit this need in its current status."),
    )
    return need


def may_rank(actor: Actor, country_iso3: str) -> bool:
    """Whether to offer the national ranking page of this country."""
    return permissions.can_rank_needs(actor, country_iso3=country_iso3)


def get_need(session: Session, *, actor: Actor, need_id: int) -> Need:
    """A need the actor may see, else NotFound (whether or not it exists)."""
    need = repository.get(session, need_id)
    if need is None or not permissions.can_view_need(
        actor, country_iso3=need.country_iso3, status=need.status, visibility=need.visibility
    ):
        raise NotFound(_("No need with this number is visible to you."))
    return need


def update_need(session: Session, *, actor: Actor, need_id: int, data: NeedUpdate) -> Need:
    """Edit a need; refused if the actor may not edit it in its status, or if the edit is stale and
    changes something (one that changes nothing writes nothing)."""
    need = get_need(session, actor=actor, need_id=need_id)
    require(
        permissions.can_edit_need(actor, country_iso3=need.country_iso3, status=need.status),
        _("You may not edit this need in its current status."),
    )
    if changes_nothing(need, data):
        return need  # see changes_nothing: no new version, no history entry, even from a stale read
    ensure_current(need.version, data.version)
    _check_codes(session, data)
    before = need.snapshot()
    _apply_fields(session, need, data)
    session.flush()
    audit.record(
        session,
        actor=actor.label,
        action="need.update",
        entity_type=ENTITY,
        entity_id=str(need.id),
        before=before,
        after=need.snapshot(),
    )
    return need


def transition_need(
    session: Session, *, actor: Actor, need_id: int, target: str, version: int, comment: str | None = None
) -> Need:
    """Move a need through its lifecycle (submit, endorse, return, publish, ...)."""
    need = get_need(session, actor=actor, need_id=need_id)
    if target not in workflow.allowed_targets(need.status):
        raise InvalidTransition(
            _("A need that is %(status)s cannot become %(target)s.")
            % {"status": workflow.status_label(need.status), "target": workflow.status_label(target)}
        )
    require(
        permissions.can_transition_need(
            actor, country_iso3=need.country_iso3, source=need.status, target=target
        ),
        _("You may not make this change to this need."),
    )
    ensure_current(need.version, version)
    if (need.status, target) in workflow.COMMENT_REQUIRED and not (comment and comment.strip()):
        raise ValidationFailed(
            [FieldProblem("comment", _("say what should change before returning the need"))]
        )
    before = _status_values(need)
    left_the_order = target not in workflow.RANKABLE_STATUSES and need.national_rank is not None
    need.status = target
    need.status_comment = comment.strip() if comment else None
    if target not in workflow.RANKABLE_STATUSES:
        need.national_rank = None
    session.flush()
    audit.record(
        session,
        actor=actor.label,
        action=f"need.{target}",
        entity_type=ENTITY,
        entity_id=str(need.id),
        before=before,
        after=_status_values(need),
    )
    if left_the_order:
        _close_rank_gap(session, actor=actor, country_iso3=need.country_iso3)
    return need


def _status_values(need: Need) -> dict[str, Any]:
    """What a move of a need changes: its status, the comment on it, and its rank (lost when it leaves the
    statuses a country ranks)."""
    return {"status": need.status, "status_comment": need.status_comment, "national_rank": need.national_rank}


def _close_rank_gap(session: Session, *, actor: Actor, country_iso3: str) -> None:
    """A need left the country's order: the needs ranked below it move up one place each, so the order reads
    1, 2, 3... as the ranking form always saves it (a withdrawn fourth left 1, 2, 3, 5...)."""
    rankable = {
        need.id: need for need in repository.for_country(session, country_iso3, workflow.RANKABLE_STATUSES)
    }
    ranked = [need.id for need in rankable.values() if need.national_rank is not None]  # in rank order
    if any(rankable[need_id].national_rank != place for place, need_id in enumerate(ranked, start=1)):
        _set_ranks(
            session, actor=actor, country_iso3=country_iso3, rankable=rankable, ordered_need_ids=ranked
        )


def rank_needs(
    session: Session, *, actor: Actor, country_iso3: str, ordered_need_ids: Sequence[int]
) -> list[Need]:
    """Set the national priority order of a country's endorsed and published needs (1 = most important)."""
    require(
        permissions.can_rank_needs(actor, country_iso3=country_iso3),
        _("Only the country's focal point may rank its needs."),
    )
    rankable = {
        need.id: need for need in repository.for_country(session, country_iso3, workflow.RANKABLE_STATUSES)
    }
    unknown = [need_id for need_id in ordered_need_ids if need_id not in rankable]
    if unknown or len(set(ordered_need_ids)) != len(ordered_need_ids):
        raise ValidationFailed(
            [
                FieldProblem(
                    "order", _("the order must list each endorsed or published need of the country once")
                )
            ]
        )
    _set_ranks(
        session, actor=actor, country_iso3=country_iso3, rankable=rankable, ordered_need_ids=ordered_need_ids
    )
    return sorted(rankable.values(), key=lambda need: (need.national_rank is None, need.national_rank or 0))


def _set_ranks(
    session: Session,
    *,
    actor: Actor,
    country_iso3: str,
    rankable: dict[int, Need],
    ordered_need_ids: Sequence[int],
) -> None:
    """Give the needs ordered the places 1, 2, 3... and the country's other rankable needs none. The
    country's trail records the whole order; each need whose rank changed has the change in its own history
    (a reorder was in no need's history)."""
    before = {need_id: need.national_rank for need_id, need in rankable.items()}
    places = {need_id: place for place, need_id in enumerate(ordered_need_ids, start=1)}
    for need_id, need in rankable.items():
        need.national_rank = places.get(need_id)
    session.flush()
    audit.record(
        session,
        actor=actor.label,
        action="need.rank",
        entity_type="country_needs",
        entity_id=country_iso3,
        before={str(need_id): rank for need_id, rank in before.items()},
        after={str(need_id): place for need_id, place in places.items()},
    )
    for need_id, need in rankable.items():
        if need.national_rank != before[need_id]:
            audit.record(
                session,
                actor=actor.label,
                action="need.rank",
                entity_type=ENTITY,
                entity_id=str(need_id),
                before={"national_rank": before[need_id]},
                after={"national_rank": need.national_rank},
            )


def rankable_needs(session: Session, *, actor: Actor, country_iso3: str) -> Sequence[Need]:
    """The needs a focal point orders: endorsed, published and matched ones of the country."""
    require(
        permissions.can_rank_needs(actor, country_iso3=country_iso3),
        _("Only the country's focal point may rank its needs."),
    )
    return repository.for_country(session, country_iso3, workflow.RANKABLE_STATUSES)


def shown_ranks(session: Session, *, actor: Actor, needs: Iterable[Any]) -> dict[int, int]:
    """The national rank of each need as the reader may be told it (by need id; unranked needs left out).

    A country's own people and the facilitators see the ranks the country gave. Anyone else sees the
    needs' order among those they may see, numbered from 1: the country's numbers would show gaps where
    private needs are ranked (a trace of records they may not see)."""
    needs = list(needs)
    told = TellsRanks(session, actor=actor).ranks(
        [need.id for need in needs],
        [need.country_iso3 for need in needs],
        [need.national_rank for need in needs],
    )
    return {need.id: rank for need, rank in zip(needs, told, strict=True) if rank is not None}


class TellsRanks:
    """The national ranks a reader is told (see ``shown_ranks``), for needs met a few at a time (a page, an
    export's chunks, an import's rows): each country's order among the needs the reader may see is read
    once, when a need of it is first met."""

    def __init__(self, session: Session, *, actor: Actor) -> None:
        self._session, self._actor = session, actor
        self._own: dict[str, bool] = {}
        self._places: dict[int, int] = {}  # need id: its place among the ranked needs the reader may see
        self._countries_read: set[str] = set()

    def ranks(
        self, need_ids: Sequence[int], countries: Sequence[str], given: Sequence[int | None]
    ) -> list[int | None]:
        """The rank told of each need (id, country, rank the country gave it), in their order."""
        unread = {
            country
            for country, rank in zip(countries, given, strict=True)
            if rank is not None and not self._told_as_given(country)
        } - self._countries_read
        if unread:
            self._read_places(frozenset(unread))
        return [
            None if rank is None else int(rank) if self._told_as_given(country) else self._places.get(need_id)
            for need_id, country, rank in zip(need_ids, countries, given, strict=True)
        ]

    def _told_as_given(self, country_iso3: str) -> bool:
        if country_iso3 not in self._own:
            self._own[country_iso3] = permissions.can_see_national_ranks(
                self._actor, country_iso3=country_iso3
            )
        return self._own[country_iso3]

    def _read_places(self, countries: frozenset[str]) -> None:
        counted: dict[str, int] = {}
        scope = permissions.need_scope(self._actor)
        for need_id, country, _rank in repository.ranked_visible(self._session, scope, countries):
            counted[country] = counted.get(country, 0) + 1
            self._places[need_id] = counted[country]
        self._countries_read |= countries


def list_needs(
    session: Session, *, actor: Actor, filters: NeedFilter, page: PageRequest, whole: bool = True
) -> Page[Need]:
    """The needs the actor may see, filtered and paged; ``whole=False`` for lists that show neither their
    techniques nor their SDG targets (read one need at a time if asked for after all)."""
    scope, filters = permissions.need_scope(actor), _of(actor, filters)
    return repository.list_visible(session, scope, filters, page, whole=whole)


def export_need_rows(
    session: Session, *, actor: Actor, filters: NeedFilter, columns: Sequence[str]
) -> ChunkedRows:
    """Every need the actor may see, as plain rows read a chunk at a time (for CSV and Excel exports); a
    national_rank column holds each need's rank as its page tells this reader (``shown_ranks``)."""
    scope, filters = permissions.need_scope(actor), _of(actor, filters)
    if "national_rank" not in columns:
        return repository.export_rows(session, scope, filters, columns)
    read = [*columns, *(name for name in ("id", "country_iso3") if name not in columns)]
    rows = repository.export_rows(session, scope, filters, read)
    tells = TellsRanks(session, actor=actor)
    ids, countries, ranks = (read.index(name) for name in ("id", "country_iso3", "national_rank"))

    def chunks() -> Iterator[list[Sequence[Any]]]:
        for chunk in rows.chunks():
            told = list(chunk)
            told[ranks] = tells.ranks(chunk[ids], chunk[countries], chunk[ranks])
            yield told[: len(columns)]

    return ChunkedRows(chunks)


def count_needs(session: Session, *, actor: Actor, filters: NeedFilter) -> int:
    """How many needs the actor may see."""
    return repository.count_visible(session, permissions.need_scope(actor), _of(actor, filters))


def _of(actor: Actor, filters: NeedFilter) -> NeedFilter:
    """The filters with "mine" made the reader's own (someone not signed in drafted none)."""
    if not filters.mine:
        return filters
    return replace(filters, drafted_by_id=actor.user_id if actor.user_id is not None else 0)


# What a need's history tells only the country's own people (and the facilitators): the rank the country
# gave it (anyone else is told the order among the needs they may see, and a raw rank shows the gap left by
# a need ranked above that they may not see), the focal point's comment on a return (internal to the
# country) and who drafted it.
PRIVATE_IN_HISTORY = frozenset({"national_rank", "status_comment", "created_by_id"})


def hidden_in_history(actor: Actor, need: Need) -> frozenset[str]:
    """The fields of a need's history this reader may not read: the page and the API leave out the same."""
    if permissions.can_see_national_ranks(actor, country_iso3=need.country_iso3):
        return frozenset()
    return PRIVATE_IN_HISTORY


def need_history(session: Session, *, actor: Actor, need_id: int) -> list[audit.HistoryEntry]:
    """Who changed what and when, for a need the actor may see, without what they may not read (an entry
    that changed only such fields is left out whole: a bare "order changed" is a trace of it too)."""
    need = get_need(session, actor=actor, need_id=need_id)
    hidden = hidden_in_history(actor, need)
    entries = []
    for event in audit.history(session, entity_type=ENTITY, entity_id=str(need.id)):
        before, after = _without(event.before, hidden), _without(event.after, hidden)
        if (event.before or event.after) and not (before or after):
            continue
        entries.append(audit.HistoryEntry(event.occurred_at, event.actor, event.action, before, after))
    return entries


def _without(snapshot: dict[str, Any] | None, hidden: frozenset[str]) -> dict[str, Any] | None:
    """A copy of an audited snapshot without the ``hidden`` fields (the audit event itself is never
    altered: it is sealed in the chain)."""
    if snapshot is None:
        return None
    return {name: value for name, value in snapshot.items() if name not in hidden}


def available_transitions(actor: Actor, need: Need) -> list[str]:
    """The moves this actor may make on this need now (for the buttons on its page)."""
    return [
        target
        for target in workflow.allowed_targets(need.status)
        if permissions.can_transition_need(
            actor, country_iso3=need.country_iso3, source=need.status, target=target
        )
    ]


def may_edit(actor: Actor, need: Need) -> bool:
    """Whether the edit form should be offered to this actor."""
    return permissions.can_edit_need(actor, country_iso3=need.country_iso3, status=need.status)


def may_create_for(actor: Actor, country_iso3: str) -> bool:
    """Whether the actor may draft needs for a country."""
    return permissions.can_create_need(actor, country_iso3=country_iso3)


def draftable_countries(actor: Actor) -> frozenset[str] | None:
    """Countries the actor may draft needs for; None means any country."""
    if actor.is_global:
        return None
    return actor.countries(permissions.FOCAL_POINT, permissions.COUNTERPART)
