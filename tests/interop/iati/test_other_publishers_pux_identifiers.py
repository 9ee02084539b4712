"""An activity is taken for PUX's own export read back only when it is: this installation's identifier
for it (the reporting organisation its export uses) and the same activity. Any identifier ending in
"-PUX-<n>" was taken for PUX's activity n: another PUX installation's file (XI-PUX-PUX-5, radiotherapy
in Ghana, while this PUX's activity 5 is groundwater in Jordan) was reported "1 unchanged (PUX has it
already)" and its activity was lost."""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from pux.accounts.models import Organisation
from pux.accounts.permissions import Actor
from pux.assistance import service as assistance
from pux.assistance.models import AssistanceActivity
from pux.assistance.repository import ActivityFilter
from pux.interop.iati import synthetic
from pux.interop.iati.records import Narrative
from pux.interop.iati.service import export_activities
from tests.interop.iati.conftest import BASE_URL, import_everything
from tests.world import activity_data

GROUNDWATER = "Map groundwater recharge with isotope hydrology in Jordan's aquifers"


def _own_activity(session: Session, actor: Actor) -> AssistanceActivity:
    """An activity recorded in this PUX, by a provider with no IATI identifier (exported as XI-PUX-PUX-n)."""
    provider = session.scalar(select(Organisation.id).where(Organisation.iati_identifier.is_(None)).limit(1))
    assert provider is not None
    return assistance.record_activity(
        session,
        actor=actor,
        data=activity_data(
            provider,
            title=GROUNDWATER,
            recipient_country_iso3="JOR",
            thematic_area_code="water",
            technique_code=None,
            dac_sector_codes=["14010"],
        ),
    )


def _by_identifier(session: Session, identifier: str) -> AssistanceActivity | None:
    return session.scalars(
        select(AssistanceActivity).where(AssistanceActivity.iati_identifier == identifier)
    ).first()


def test_another_pux_installations_activity_with_the_same_number_is_imported(
    session: Session, session_factory: sessionmaker[Session], facilitator: Actor, tmp_path: Path
) -> None:
    ours = _own_activity(session, facilitator)
    theirs = synthetic.activity(
        0,
        identifier=f"XI-PUX-PUX-{ours.id}",
        reporting_ref="XI-PUX",
        funder_ref="XX-OTHER-FUNDER",
        country="GH",
    )
    report = import_everything(
        session_factory, facilitator, synthetic.write_file(tmp_path / "other.xml", [theirs])
    )

    assert (report.new, report.unchanged) == (1, 0)
    imported = _by_identifier(session, f"XI-PUX-PUX-{ours.id}")
    assert imported is not None and imported.id != ours.id
    assert (imported.recipient_country_iso3, imported.origin) == ("GHA", "iati")
    assert imported.title.startswith("Radiotherapy")
    session.refresh(ours)
    assert (ours.title, ours.recipient_country_iso3) == (GROUNDWATER, "JOR")


def test_an_identifier_ending_like_pux_s_under_another_reporting_organisation_is_another_publisher_s(
    session: Session, session_factory: sessionmaker[Session], facilitator: Actor, tmp_path: Path
) -> None:
    """Same number, title and country as PUX's activity, but reported by an organisation PUX's export
    does not use for it: another publisher's activity."""
    ours = _own_activity(session, facilitator)
    identifier = f"XM-DAC-7-PUX-{ours.id}"
    lookalike = replace(
        synthetic.activity(0, identifier=identifier, reporting_ref="XM-DAC-7", country="JO"),
        titles=(Narrative("en", GROUNDWATER),),
    )
    report = import_everything(
        session_factory, facilitator, synthetic.write_file(tmp_path / "lookalike.xml", [lookalike])
    )

    assert (report.new, report.unchanged) == (1, 0)
    assert _by_identifier(session, identifier) is not None


def test_pux_s_own_export_read_back_is_still_recognised(
    session: Session, session_factory: sessionmaker[Session], facilitator: Actor, tmp_path: Path
) -> None:
    ours = _own_activity(session, facilitator)
    target = io.BytesIO()
    export_activities(
        session,
        actor=facilitator,
        filters=ActivityFilter(country_iso3="JOR"),
        target=target,
        base_url=BASE_URL,
    )
    exported = tmp_path / "ours.xml"
    exported.write_bytes(target.getvalue())
    assert f"XI-PUX-PUX-{ours.id}<".encode() in target.getvalue()

    report = import_everything(session_factory, facilitator, exported)

    assert report.new == 0 and report.unchanged >= 1
    assert _by_identifier(session, f"XI-PUX-PUX-{ours.id}") is None
