"""Importing IATI files into the real database: what is kept, idempotence and the last-updated rule,
funder and implementer linked without double counting, refusals named by line and rule."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from pux.accounts.models import Organisation
from pux.accounts.permissions import Actor, PermissionDenied
from pux.assistance import repository as assistance_repository
from pux.assistance.models import (
    AssistanceActivity,
    IatiNarrative,
    IatiOrganisationToConfirm,
    IatiParticipatingOrganisation,
    IatiSplit,
    IatiTransaction,
)
from pux.audit.models import AuditEvent
from pux.interop.iati import synthetic
from pux.interop.iati.service import (
    ImportOptions,
    confirm_organisation,
    import_file,
    organisations_to_confirm,
)
from tests.interop.iati.conftest import BASE_URL
from tests.world import World

EVERYTHING = ImportOptions(everything=True)


def _count(session: Session, table: type) -> int:
    return int(session.scalar(select(func.count()).select_from(table)) or 0)


def _state(session: Session) -> dict[str, int]:
    return {
        table.__tablename__: _count(session, table)
        for table in (
            AssistanceActivity,
            IatiTransaction,
            IatiSplit,
            IatiNarrative,
            IatiParticipatingOrganisation,
            AuditEvent,
        )
    }


def _activity(session: Session, identifier: str) -> AssistanceActivity:
    found = session.scalars(
        select(AssistanceActivity).where(AssistanceActivity.iati_identifier == identifier)
    ).one()
    return found


def _import(factory: sessionmaker[Session], actor: Actor, path: Path, options: ImportOptions = EVERYTHING):  # type: ignore[no-untyped-def]
    return import_file(session_factory=factory, actor=actor, path=path, base_url=BASE_URL, options=options)


def test_the_official_example_imports_with_its_transactions_splits_organisations_and_languages(
    session: Session, session_factory: sessionmaker[Session], facilitator: Actor, example_file: Path
) -> None:
    report = _import(session_factory, facilitator, example_file)
    assert (report.read, report.new, report.refused) == (1, 1, 0), report.refusals
    activity = session.scalars(select(AssistanceActivity).where(AssistanceActivity.origin == "iati")).one()
    assert activity.iati_identifier and activity.iati_last_updated is not None
    assert activity.iati_source is not None and activity.iati_source.generated_at is not None
    transactions = session.scalars(
        select(IatiTransaction).where(IatiTransaction.activity_id == activity.id)
    ).all()
    assert transactions and all(t.currency or activity.iati_default_currency for t in transactions)
    languages = set(
        session.scalars(select(IatiNarrative.language).where(IatiNarrative.activity_id == activity.id))
    )
    assert {"en", "fr"} <= languages
    roles = set(
        session.scalars(
            select(IatiParticipatingOrganisation.role).where(
                IatiParticipatingOrganisation.activity_id == activity.id
            )
        )
    )
    assert "1" in roles


def test_by_default_only_relevant_activities_in_the_asked_countries_are_imported(
    session: Session, session_factory: sessionmaker[Session], facilitator: Actor, relevant_file: Path
) -> None:
    everything = list(synthetic.activities(30, relevant_share=0.7))
    relevant = [
        a for a in everything if a.titles[0].text.split(" (")[0] in {t[1] for t in synthetic.RELEVANT_TOPICS}
    ]
    report = _import(session_factory, facilitator, relevant_file, ImportOptions())
    assert report.read == 30
    assert report.relevant == report.new == len(relevant)
    kenya = _import(session_factory, facilitator, relevant_file, ImportOptions(countries=("KEN",)))
    assert kenya.unchanged == sum(1 for a in relevant if a.splits[0].code == "KE")
    stored = session.scalars(select(AssistanceActivity).where(AssistanceActivity.origin == "iati")).all()
    assert {a.technique_code for a in stored if a.dac_sector_codes and "12191" in a.dac_sector_codes} == {
        "radiotherapy"
    }
    assert all(a.thematic_area_code for a in stored)


def test_importing_the_same_file_again_writes_nothing_and_a_newer_version_replaces_the_activity(
    session: Session, session_factory: sessionmaker[Session], facilitator: Actor, tmp_path: Path
) -> None:
    first = synthetic.activity(1)
    path = synthetic.write_file(tmp_path / "a.xml", [first, synthetic.activity(2)])
    assert _import(session_factory, facilitator, path).new == 2
    before = _state(session)
    again = _import(session_factory, facilitator, path)
    assert (again.new, again.updated, again.unchanged) == (0, 0, 2)
    assert _state(session) == before
    assert first.last_updated is not None
    older = replace(first, last_updated=first.last_updated - timedelta(days=1), titles=first.titles[:1])
    assert (
        _import(session_factory, facilitator, synthetic.write_file(tmp_path / "old.xml", [older])).unchanged
        == 1
    )
    # A newer version without its disbursement and expenditure replaces the stored one whole.
    assert first.last_updated is not None
    newer = replace(
        first, last_updated=first.last_updated + timedelta(days=1), transactions=first.transactions[:1]
    )
    report = _import(session_factory, facilitator, synthetic.write_file(tmp_path / "new.xml", [newer]))
    assert report.updated == 1
    activity = _activity(session, first.identifier)
    assert _count_for(session, activity.id) == 1
    assert activity.amount_disbursed is None  # no disbursement any more: missing, not zero


def _count_for(session: Session, activity_id: int) -> int:
    return int(session.scalar(select(func.count()).where(IatiTransaction.activity_id == activity_id)) or 0)


@pytest.mark.parametrize("funder_first", [True, False])
def test_the_same_money_reported_by_funder_and_implementer_is_linked_and_counted_once(
    session: Session,
    session_factory: sessionmaker[Session],
    facilitator: Actor,
    tmp_path: Path,
    funder_first: bool,
) -> None:
    funder, implementer = synthetic.funder_and_implementer(5)
    files = [
        synthetic.write_file(tmp_path / "funder.xml", [funder]),
        synthetic.write_file(tmp_path / "implementer.xml", [implementer]),
    ]
    for path in files if funder_first else reversed(files):
        _import(session_factory, facilitator, path)
    stored_funder = _activity(session, funder.identifier)
    stored_implementer = _activity(session, implementer.identifier)
    assert stored_implementer.counted_in_activity_id == stored_funder.id
    assert stored_funder.counted_in_activity_id is None
    on = stored_funder.start_date + timedelta(days=1)  # type: ignore[operator]
    totals = assistance_repository.current_commitments_by_country_and_area(session, on)
    assert totals[("KEN", "health")] == float(Decimal("250000"))


def test_transaction_level_sectors_and_countries_are_kept_apart_from_the_activity_level(
    session: Session, session_factory: sessionmaker[Session], facilitator: Actor, tmp_path: Path
) -> None:
    record = synthetic.activity(3, country="UG")
    _import(session_factory, facilitator, synthetic.write_file(tmp_path / "t.xml", [record]))
    activity = _activity(session, record.identifier)
    splits = session.scalars(select(IatiSplit).where(IatiSplit.activity_id == activity.id)).all()
    activity_level = {(s.kind, s.code, s.percentage) for s in splits if s.transaction_id is None}
    transaction_level = {(s.kind, s.code) for s in splits if s.transaction_id is not None}
    assert ("country", "UG", Decimal("100")) in activity_level
    assert transaction_level == {("sector", record.splits[1].code), ("country", "UG")}
    assert activity.recipient_country_iso3 == "UGA"


def test_an_unknown_publisher_becomes_an_organisation_to_confirm_and_a_known_one_is_matched(
    session: Session, session_factory: sessionmaker[Session], facilitator: Actor, tmp_path: Path, world: World
) -> None:
    known = session.get(Organisation, world.organisations["donor_a"])
    assert known is not None
    known.iati_identifier = "XX-SYN-KNOWN"
    session.flush()
    funded_by_known = replace(
        synthetic.activity(8, identifier="XX-SYN-KNOWN-1"),
        participating_orgs=(replace(synthetic.activity(8).participating_orgs[0], ref="XX-SYN-KNOWN"),),
    )
    _import(
        session_factory,
        facilitator,
        synthetic.write_file(tmp_path / "o.xml", [funded_by_known, synthetic.activity(9)]),
    )
    assert _activity(session, "XX-SYN-KNOWN-1").provider_organisation_id == known.id
    created = _activity(session, synthetic.activity(9).identifier).provider_organisation_id
    flagged = session.scalars(select(IatiOrganisationToConfirm.organisation_id)).all()
    assert created in flagged and known.id not in flagged
    waiting = [
        organisation_id
        for organisation_id, _name, _ref in organisations_to_confirm(session, actor=facilitator)
    ]
    assert created in waiting
    with pytest.raises(PermissionDenied):
        confirm_organisation(session, actor=world.actors["partner_a"], organisation_id=created)
    confirm_organisation(session, actor=facilitator, organisation_id=created)
    assert created not in [o for o, _n, _r in organisations_to_confirm(session, actor=facilitator)]


def test_only_facilitators_import(
    session_factory: sessionmaker[Session], world: World, relevant_file: Path
) -> None:
    for role in ("partner_a", "focal_ken", "public"):
        with pytest.raises(PermissionDenied):
            _import(session_factory, world.actors[role], relevant_file)
