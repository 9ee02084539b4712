"""A brief's data version moves when what its reader may see of the data changes, and only then: a draft
written anywhere must not make every reader's brief again (0.6-5 s a PDF), and any write a reader could see
must (a kept brief is never stale)."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from pux.audit.models import AuditEvent
from pux.audit.repository import kinds_written
from pux.briefs import repository, service
from pux.briefs.views import printable_html
from pux.dialogues import service as dialogues
from pux.dialogues.schemas import ParticipantFields
from pux.needs import service as needs
from pux.programmes import service as programmes
from tests.briefs.test_service import CountingRenderer
from tests.statements import recorded_statements
from tests.world import World, event_data, need_data, programme_data

TODAY = date(2026, 12, 1)
READERS = ("public", "partner_a", "focal_uga", "focal_ken", "admin")

# The table each kind the version leaves out is kept in (needs, programmes and activities are followed by
# their own aggregates): a kind added to the list must name its table here, and no brief may read it.
TABLES_OF_KINDS_LEFT_OUT = {
    "api_token": "api_token",
    "allocation_round": "allocation_round",
    "concept_note": "dialogue_concept_note",
    "iati_import_run": "iati_import_run",
    "invitation": "invitation",
    "job": "job",
    "match_proposal": "match_proposal",
    "need_interest": "need_interest",
    "travel_application": "dialogue_travel_application",
    "travel_grant": "dialogue_travel_grant",
}


def _versions(session: Session, world: World) -> dict[str, str]:
    session.commit()  # each reading is its own request
    return {role: service.data_version(session, actor=world.actors[role]).code for role in READERS}


def _moved(before: dict[str, str], after: dict[str, str]) -> set[str]:
    return {role for role in READERS if before[role] != after[role]}


def test_a_draft_need_moves_only_the_briefs_of_readers_who_see_drafts(session: Session, world: World) -> None:
    before, focal = _versions(session, world), world.actors["focal_ken"]
    draft = needs.create_need(session, actor=focal, data=need_data(title="Draft: a PET-CT"))
    # Kenya's people and the administrator see the draft; the public, a partner and Uganda's focal point (who
    # sees Uganda's drafts) do not.
    assert _moved(before, drafted := _versions(session, world)) == {"focal_ken", "admin"}
    for target in ("submitted", "endorsed", "published"):
        draft = needs.transition_need(
            session, actor=focal, need_id=draft.id, target=target, version=draft.version
        )
    assert _moved(drafted, _versions(session, world)) == set(READERS)  # published: everyone sees it


def test_a_draft_programme_moves_only_the_briefs_of_readers_who_see_drafts(
    session: Session, world: World
) -> None:
    before = _versions(session, world)
    programmes.create_programme(
        session, actor=world.actors["partner_a"], data=programme_data(world.organisations["donor_a"])
    )
    assert _moved(before, _versions(session, world)) == {"partner_a", "admin"}


def test_an_audited_write_of_another_kind_moves_every_readers_version(session: Session, world: World) -> None:
    facilitator = world.actors["facilitator"]
    workshop = dialogues.create_event(session, actor=facilitator, data=event_data(title="Version workshop"))
    before = _versions(session, world)
    # A participant has no aggregate of its own in the version: the audit chain's place of its kind moves it.
    dialogues.add_participant(
        session,
        actor=facilitator,
        event_id=workshop.id,
        data=ParticipantFields(user_id=world.user_ids["counterpart_ken"], country_iso3="KEN"),
    )
    assert _moved(before, _versions(session, world)) == set(READERS)


def test_the_public_pdf_is_served_from_the_cache_after_a_draft_elsewhere(
    session: Session, world: World
) -> None:
    service.forget_rendered_briefs()
    renderer = CountingRenderer()

    def pdf() -> service.RenderedPdf:
        session.commit()
        return service.pdf_brief(
            session, actor=world.actors["public"], kind="country", key="KEN",
            printable=printable_html, renderer=renderer, today=TODAY,
        )  # fmt: skip

    try:
        first = pdf()
        needs.create_need(session, actor=world.actors["focal_uga"], data=need_data(country="UGA"))
        again = pdf()
        assert again.from_cache and again.content == first.content and len(renderer.documents) == 1
    finally:
        service.forget_rendered_briefs()


def test_kinds_written_names_every_kind_of_the_trail_once(session: Session, world: World) -> None:
    every = sorted(set(session.scalars(select(AuditEvent.entity_type))))
    assert len(every) > 3 and kinds_written(session) == every


def test_no_brief_reads_the_records_its_version_leaves_out(session: Session, world: World) -> None:
    assert set(TABLES_OF_KINDS_LEFT_OUT) == repository.KINDS_BRIEFS_DO_NOT_READ - {
        "need",
        "country_needs",
        "programme",
        "assistance_activity",
    }
    service.forget_rendered_briefs()
    keys = (("country", "KEN"), ("region", "014"), ("organisation", str(world.organisations["donor_a"])))
    with recorded_statements(session.get_bind()) as statements:
        for role in ("public", "admin", "focal_ken", "partner_a"):
            for kind, key in keys:
                service.brief_for(session, actor=world.actors[role], kind=kind, key=key, today=TODAY)
    tables_read = {table for s in statements for table in re.findall(r'(?:FROM|JOIN)\s+"?(\w+)"?', s)}
    assert {
        "need",
        "programme",
        "assistance_activity",
        "dialogue_event",
    } <= tables_read  # the net caught them
    assert not tables_read & set(TABLES_OF_KINDS_LEFT_OUT.values())
