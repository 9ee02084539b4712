"""All queries on programmes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, func, or_, select, true
from sqlalchemy.orm import Session, lazyload

from pux.accounts.permissions import VisibilityScope
from pux.db import ChunkedRows, linked_codes, rows_in_chunks
from pux.pagination import Page, PageRequest, count_of, fetch_page
from pux.programmes.models import (
    Programme,
    programme_eligible_country,
    programme_sdg_target,
    programme_technique,
    programme_thematic_area,
)
from pux.reference.models import SdgTarget, Technique, ThematicArea, fold_for_search

SHARED_STATUSES = ("published", "closed")
# The orders a list of programmes is paged in: the order they were drafted in, so that a pull page by page
# neither skips nor repeats one (a programme drafted meanwhile comes last). Named, as the other lists'
# orders are, so that an integrator can ask for it whatever the default becomes.
BY_ID = "id"
ORDERS = (BY_ID,)


@dataclass(frozen=True)
class ProgrammeFilter:
    # The organisations chosen (None: every one; empty: a typed name that fits none, so nothing is listed).
    organisation_ids: tuple[int, ...] | None = None
    thematic_area_code: str | None = None
    technique_code: str | None = None
    modality: str | None = None
    status: str | None = None
    text: str | None = None
    # Only programmes changed at or after this moment (aware, UTC): what changed since a previous pull.
    updated_since: datetime | None = None


def visible_clause(scope: VisibilityScope) -> ColumnElement[bool]:
    if scope.everything:
        return true()
    shared = and_(Programme.status.in_(SHARED_STATUSES), Programme.visibility.in_(scope.visibilities))
    if scope.organisations:
        return or_(Programme.organisation_id.in_(scope.organisations), shared)
    return shared


def _filtered(statement, filters: ProgrammeFilter):  # type: ignore[no-untyped-def]
    if filters.organisation_ids is not None:
        statement = statement.where(Programme.organisation_id.in_(filters.organisation_ids))
    if filters.thematic_area_code:
        statement = statement.where(
            Programme.id.in_(
                select(programme_thematic_area.c.programme_id).where(
                    programme_thematic_area.c.thematic_area_code == filters.thematic_area_code
                )
            )
        )
    if filters.technique_code:
        statement = statement.where(
            Programme.id.in_(
                select(programme_technique.c.programme_id).where(
                    programme_technique.c.technique_code == filters.technique_code
                )
            )
        )
    if filters.modality:
        statement = statement.where(Programme.modality == filters.modality)
    if filters.status:
        statement = statement.where(Programme.status == filters.status)
    if filters.updated_since is not None:
        statement = statement.where(Programme.updated_at >= filters.updated_since)
    if filters.text and filters.text.strip():
        statement = statement.where(
            Programme.search_text.contains(fold_for_search(filters.text.strip()), autoescape=True)
        )
    return statement


# For lists that show programmes by title, organisation, modality, budget and window: their areas,
# techniques, SDG targets and eligible countries (each country with its regions) are read only if asked for.
WITHOUT_LISTS = (
    lazyload(Programme.thematic_areas),
    lazyload(Programme.techniques),
    lazyload(Programme.sdg_targets),
    lazyload(Programme.eligible_countries),
)


def list_visible(
    session: Session,
    scope: VisibilityScope,
    filters: ProgrammeFilter,
    page: PageRequest,
    *,
    whole: bool = True,
) -> Page[Programme]:
    """``whole=False``: without their lists read ahead (see WITHOUT_LISTS)."""
    base = _filtered(select(Programme).where(visible_clause(scope)), filters)
    if not whole:
        base = base.options(*WITHOUT_LISTS)
    return fetch_page(session, base.order_by(Programme.id), page)


def count_visible(session: Session, scope: VisibilityScope, filters: ProgrammeFilter) -> int:
    return count_of(session, _filtered(select(Programme.id).where(visible_clause(scope)), filters))


def all_visible(session: Session, scope: VisibilityScope, filters: ProgrammeFilter) -> Sequence[Programme]:
    statement = _filtered(select(Programme).where(visible_clause(scope)), filters).order_by(Programme.id)
    return session.scalars(statement).unique().all()


def export_rows(
    session: Session, scope: VisibilityScope, filters: ProgrammeFilter, columns: Sequence[str]
) -> ChunkedRows:
    """What all_visible returns, as plain rows (the values of ``columns``) with their code lists, a chunk
    at a time."""
    matching = _filtered(select(Programme.id).where(visible_clause(scope)), filters)
    # In each relationship's order, as the record's page and the ORM list them.
    links = {
        "thematic_area_codes": linked_codes(programme_thematic_area, ThematicArea),
        "technique_codes": linked_codes(programme_technique, Technique),
        "sdg_target_codes": linked_codes(programme_sdg_target, SdgTarget),
        "eligible_country_codes": linked_codes(programme_eligible_country),
    }
    return rows_in_chunks(session, matching, Programme.__table__, columns, links)


# count, newest change, sums of versions and ids
_FINGERPRINT = select(
    func.count(), func.max(Programme.updated_at), func.sum(Programme.version), func.sum(Programme.id)
)


def fingerprint(session: Session, *, status: str) -> tuple[object, ...]:
    """The count, latest change, sum of versions and sum of ids of the programmes in a status: it moves at
    every committed save of one of them, in whatever order saves commit, and not when a draft is written
    (see needs.repository.fingerprint)."""
    return tuple(session.execute(_FINGERPRINT.where(Programme.status == status)).one())


def fingerprint_of_visible(session: Session, scope: VisibilityScope) -> tuple[object, ...]:
    """fingerprint of the programmes ``scope`` may see (drafts only for those who see them)."""
    return tuple(session.execute(_FINGERPRINT.where(visible_clause(scope))).one())


def get(session: Session, programme_id: int) -> Programme | None:
    return session.get(Programme, programme_id)


def add(session: Session, programme: Programme) -> Programme:
    session.add(programme)
    session.flush()
    return programme


def drafts_of(
    session: Session, *, organisations: frozenset[int] | None, limit: int = 100
) -> Sequence[Programme]:
    """Draft programmes of some organisations (None: of all), the latest changed first (at most ``limit``)."""
    statement = select(Programme).where(_drafts(organisations))
    statement = statement.order_by(Programme.updated_at.desc(), Programme.id.desc())
    return session.scalars(statement.limit(limit)).unique().all()


def count_drafts_of(session: Session, *, organisations: frozenset[int] | None) -> int:
    """How many programmes drafts_of would list without its limit."""
    return session.scalar(select(func.count(Programme.id)).where(_drafts(organisations))) or 0


def _drafts(organisations: frozenset[int] | None) -> ColumnElement[bool]:
    drafts = Programme.status == "draft"
    return drafts if organisations is None else and_(drafts, Programme.organisation_id.in_(organisations))
