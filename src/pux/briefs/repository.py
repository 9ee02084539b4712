"""Queries only the briefs need: the data version of what a brief reads, and the countries of a region."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from pux.accounts.models import Organisation
from pux.accounts.permissions import VisibilityScope
from pux.assistance.models import AssistanceActivity
from pux.assistance.repository import activities_stamp
from pux.audit.models import AuditEvent
from pux.audit.repository import kinds_written, latest_seq_of
from pux.dialogues.models import DialogueEvent
from pux.knowledge.models import Alternative, EvidenceEntry, KnowledgeTranslation, TechniqueProfile
from pux.needs import repository as needs_repository
from pux.needs.models import Need
from pux.priority.models import PriorityConfigVersion
from pux.programmes import repository as programmes_repository
from pux.reference.models import Country, IndicatorObservation, Region

# The tables a brief reads that change in use, each summarised by aggregates that move on any insert, update
# or delete: row count, the newest change and the sum of the optimistic-locking versions (which every update
# of a versioned row raises, even one that kept updated_at). Needs, programmes and activities are summarised
# apart (see below).
_VERSIONED: tuple[tuple[str, Any], ...] = (
    ("event", DialogueEvent),
    ("evidence", EvidenceEntry),
    ("technique", TechniqueProfile),
    ("translation", KnowledgeTranslation),
)

# The kinds of audited write a brief's version does not follow: needs, programmes and activities, which the
# aggregates follow exactly (and only as far as the reader sees them), and records no brief reads. Every other
# kind moves every brief's version, a kind added later too. Following every audited write, a draft need
# written anywhere made every brief's PDF again for each reader (0.6-5 s each) at every write of a workshop.
KINDS_BRIEFS_DO_NOT_READ = frozenset(
    {
        "need",
        "country_needs",  # a ranking: it writes each need's new rank on the need, a save of it
        "programme",
        "assistance_activity",
        "api_token",
        "allocation_round",
        "concept_note",
        "iati_import_run",
        "invitation",
        "job",
        "match_proposal",
        "need_interest",
        "travel_application",
        "travel_grant",
    }
)


def data_fingerprint(
    session: Session, *, needs: VisibilityScope, programmes: VisibilityScope
) -> tuple[list[tuple[str, object]], int | None, datetime | None]:
    """What identifies the state of the data a brief reads for a reader who sees these needs and programmes:
    (aggregates by table, latest audit event id, newest change time). The aggregates catch writes made
    outside the services too (an import tool, a manual correction); the latest place in the audit chain of
    each other kind of record catches what they do not (a participant, a reference table)."""
    # Only what the reader may see of needs and programmes: a draft moves only the briefs of those who see it.
    needs_part = needs_repository.fingerprint_of_visible(session, needs)
    programmes_part = programmes_repository.fingerprint_of_visible(session, programmes)
    parts: list[tuple[str, object]] = [("need", needs_part), ("programme", programmes_part)]
    changes = [needs_part[1], programmes_part[1]]  # each one's newest change
    for name, model in _VERSIONED:
        count, changed, versions = session.execute(
            select(func.count(), func.max(model.updated_at), func.sum(model.version))
        ).one()
        parts.append((name, (count, str(changed), versions)))
        changes.append(changed)
    # Activities by their count, newest change and newest id (index steps): the sum of their versions read
    # every one of 200,000 rows at the mission's scale, 40-50 ms of every brief reading, kept or not. An
    # edit made around PUX is still seen when it sets updated_at later than the newest, as every PUX write
    # of an activity does (SQLite compares the times as text: one written in another format, or within
    # the same second without its fraction, may not move it; an insert or a delete always moves the count).
    stamp = activities_stamp(session)  # the newest change first, then what else it holds
    parts.append(("activity", (session.scalar(select(func.count()).select_from(AssistanceActivity)), *stamp)))
    changes.append(stamp[0])
    parts.append(
        (
            "organisation",
            tuple(session.execute(select(func.count(), func.sum(Organisation.version))).one()),
        )
    )
    parts.append(
        (
            "observation",
            tuple(
                session.execute(
                    select(
                        func.count(), func.max(IndicatorObservation.id), func.sum(IndicatorObservation.value)
                    )
                ).one()
            ),
        )
    )
    parts.append(("priority_config", session.scalar(select(func.max(PriorityConfigVersion.id)))))
    followed = [kind for kind in kinds_written(session) if kind not in KINDS_BRIEFS_DO_NOT_READ]
    parts.append(("audited", session.scalar(select(latest_seq_of(*followed))) if followed else None))
    latest_audit = session.scalar(select(func.max(AuditEvent.id)))
    return parts, latest_audit, _newest(changes)


def _newest(changes: list[object]) -> datetime | None:
    """The newest of these change times (read from the database, some without their time zone)."""
    times = [change.replace(tzinfo=None) for change in changes if isinstance(change, datetime)]
    return max(times, default=None)


def get_region(session: Session, m49: str) -> Region | None:
    return session.get(Region, m49)


def countries_in_region(session: Session, m49: str) -> Sequence[Country]:
    """The countries and areas of a region, sub-region or intermediate region."""
    statement = (
        select(Country)
        .where(or_(Country.region_m49 == m49, Country.subregion_m49 == m49, Country.intermediate_m49 == m49))
        .order_by(Country.iso3)
    )
    return session.scalars(statement).unique().all()


def countries_with_needs_or_assistance(session: Session) -> list[str]:
    """Recipient countries with anything recorded (the briefs a batch run makes), by code."""
    with_needs = select(Need.country_iso3).distinct()
    with_activities = select(AssistanceActivity.recipient_country_iso3).distinct()
    codes = set(session.scalars(with_needs)) | set(session.scalars(with_activities))
    return sorted(codes)


def technique_summaries(session: Session, codes: Sequence[str]) -> dict[str, tuple[int, str, str, str]]:
    """(profile id, slug, summary, language it is written in) of the techniques' profiles, by code: the
    plain columns only (a profile's comparison tables are not needed in a brief)."""
    if not codes:
        return {}
    statement = select(
        TechniqueProfile.technique_code,
        TechniqueProfile.id,
        TechniqueProfile.slug,
        TechniqueProfile.summary,
        TechniqueProfile.source_language,
    ).where(TechniqueProfile.technique_code.in_(list(codes)))
    return {
        code: (pid, slug, summary, language)
        for code, pid, slug, summary, language in session.execute(statement)
    }


def technique_alternatives(
    session: Session, codes: Sequence[str]
) -> dict[str, list[tuple[int, str, str, str]]]:
    """(alternative id, name, language it is written in, relation) of the conventional alternatives each
    technique's profile compares it with, by technique code, in the profile's order: the plain columns only
    (the comparison cells are the technique page's)."""
    if not codes:
        return {}
    statement = (
        select(
            TechniqueProfile.technique_code,
            Alternative.id,
            Alternative.name,
            Alternative.source_language,
            Alternative.relation,
        )
        .join(TechniqueProfile, TechniqueProfile.id == Alternative.profile_id)
        .where(TechniqueProfile.technique_code.in_(list(codes)))
        .order_by(TechniqueProfile.technique_code, Alternative.position, Alternative.id)
    )
    found: dict[str, list[tuple[int, str, str, str]]] = {}
    for code, alternative_id, name, language, relation in session.execute(statement):
        found.setdefault(code, []).append((alternative_id, name, language, relation))
    return found


def evidence_for_techniques(session: Session, codes: Sequence[str]) -> Sequence[EvidenceEntry]:
    """The evidence entries of some techniques, in one query."""
    if not codes:
        return []
    statement = (
        select(EvidenceEntry)
        .where(EvidenceEntry.technique_code.in_(list(codes)))
        .order_by(EvidenceEntry.technique_code, EvidenceEntry.id)
    )
    return session.scalars(statement).unique().all()
