"""The need lifecycle: legal moves, refused moves with clear messages, and an audit record for each write."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from pux.accounts.permissions import PermissionDenied
from pux.audit import service as audit
from pux.errors import InvalidTransition, NotFound, ValidationFailed
from pux.needs import service as needs
from pux.needs import workflow
from pux.needs.repository import NeedFilter
from pux.pagination import PageRequest
from tests.world import World, need_data


def test_full_clearance_path_is_audited_step_by_step(session: Session, world: World) -> None:
    counterpart, focal = world.actors["counterpart_ken"], world.actors["focal_ken"]
    need = needs.create_need(session, actor=counterpart, data=need_data(title="Cobalt-60 source replacement"))
    assert need.status == "draft" and need.reference.startswith("KEN-")
    need = needs.transition_need(
        session, actor=counterpart, need_id=need.id, target="submitted", version=need.version
    )
    need = needs.transition_need(
        session, actor=focal, need_id=need.id, target="endorsed", version=need.version
    )
    need = needs.transition_need(
        session, actor=focal, need_id=need.id, target="published", version=need.version
    )
    for target in ("matched", "funded", "in_implementation", "completed"):
        need = needs.transition_need(
            session, actor=world.actors["facilitator"], need_id=need.id, target=target, version=need.version
        )
    trail = audit.history(session, entity_type="need", entity_id=str(need.id))
    assert [event.action for event in trail] == [
        "need.create",
        "need.submitted",
        "need.endorsed",
        "need.published",
        "need.matched",
        "need.funded",
        "need.in_implementation",
        "need.completed",
    ]
    assert trail[1].actor == world.actors["counterpart_ken"].label
    assert trail[2].before == {"status": "submitted", "status_comment": None, "national_rank": None}
    assert trail[2].after == {"status": "endorsed", "status_comment": None, "national_rank": None}


@pytest.mark.parametrize(
    ("source", "target"),
    [
        ("draft", "endorsed"),
        ("draft", "published"),
        ("submitted", "published"),
        ("draft", "completed"),
    ],
)
def test_illegal_moves_are_refused_with_a_clear_message(
    session: Session, world: World, source: str, target: str
) -> None:
    need_id = world.needs["draft_ken"] if source == "draft" else world.needs["submitted_ken"]
    need = needs.get_need(session, actor=world.actors["admin"], need_id=need_id)
    with pytest.raises(InvalidTransition) as refused:
        needs.transition_need(
            session, actor=world.actors["admin"], need_id=need_id, target=target, version=need.version
        )
    assert workflow.status_label(source) in str(refused.value)
    assert needs.get_need(session, actor=world.actors["admin"], need_id=need_id).status == source


def test_counterpart_cannot_endorse_and_other_countries_cannot_even_see(
    session: Session, world: World
) -> None:
    need = needs.get_need(session, actor=world.actors["admin"], need_id=world.needs["submitted_ken"])
    with pytest.raises(PermissionDenied):
        needs.transition_need(
            session,
            actor=world.actors["counterpart_ken"],
            need_id=need.id,
            target="endorsed",
            version=need.version,
        )
    with pytest.raises(NotFound):
        needs.transition_need(
            session, actor=world.actors["focal_uga"], need_id=need.id, target="endorsed", version=need.version
        )
    assert (
        len(audit.history(session, entity_type="need", entity_id=str(need.id))) == 2
    )  # create + submit only


def test_returning_needs_a_comment_and_the_counterpart_can_resubmit(session: Session, world: World) -> None:
    focal, counterpart = world.actors["focal_ken"], world.actors["counterpart_ken"]
    need = needs.get_need(session, actor=focal, need_id=world.needs["submitted_ken"])
    with pytest.raises(ValidationFailed) as refused:
        needs.transition_need(session, actor=focal, need_id=need.id, target="returned", version=need.version)
    assert refused.value.problems[0].field == "comment"
    need = needs.transition_need(
        session,
        actor=focal,
        need_id=need.id,
        target="returned",
        version=need.version,
        comment="Add the bunker design study",
    )
    assert need.status == "returned" and need.status_comment == "Add the bunker design study"
    assert needs.may_edit(counterpart, need)
    need = needs.transition_need(
        session, actor=counterpart, need_id=need.id, target="submitted", version=need.version
    )
    assert need.status == "submitted"


def test_focal_point_ranks_only_endorsed_and_published_needs_of_their_country(
    session: Session, world: World
) -> None:
    focal = world.actors["focal_ken"]
    rankable = [need.id for need in needs.rankable_needs(session, actor=focal, country_iso3="KEN")]
    assert world.needs["published_ken"] in rankable and world.needs["draft_ken"] not in rankable
    assert len(rankable) >= 3
    for order in (list(reversed(rankable)), rankable[1:] + rankable[:1]):
        needs.rank_needs(session, actor=focal, country_iso3="KEN", ordered_need_ids=order)
        session.expire_all()
        stored = {
            need_id: needs.get_need(session, actor=focal, need_id=need_id).national_rank
            for need_id in rankable
        }
        assert stored == {need_id: place for place, need_id in enumerate(order, start=1)}
        listed = [need.id for need in needs.rankable_needs(session, actor=focal, country_iso3="KEN")]
        assert listed[: len(order)] == order  # the ranking page lists them in the chosen order
    with pytest.raises(ValidationFailed):
        needs.rank_needs(
            session, actor=focal, country_iso3="KEN", ordered_need_ids=[world.needs["draft_ken"]]
        )
    with pytest.raises(PermissionDenied):
        needs.rank_needs(
            session, actor=world.actors["focal_uga"], country_iso3="KEN", ordered_need_ids=rankable
        )
    trail = audit.history(session, entity_type="country_needs", entity_id="KEN")
    assert trail[-1].action == "need.rank"


def test_unknown_codes_are_refused_naming_each_field(session: Session, world: World) -> None:
    bad = need_data(
        title="A need with wrong codes",
        technique_codes=["teleportation"],
        sdg_target_codes=["3.99"],
        currency="XXY",
    )
    with pytest.raises(ValidationFailed) as refused:
        needs.create_need(session, actor=world.actors["counterpart_ken"], data=bad)
    assert {p.field for p in refused.value.problems} == {"technique_codes", "sdg_target_codes", "currency"}


def test_focal_point_cannot_draft_for_another_country(session: Session, world: World) -> None:
    with pytest.raises(PermissionDenied):
        needs.create_need(session, actor=world.actors["focal_uga"], data=need_data(country="KEN"))


def test_a_new_need_is_found_by_its_reference(session: Session, world: World) -> None:
    counterpart = world.actors["counterpart_ken"]
    need = needs.create_need(session, actor=counterpart, data=need_data(title="Gamma camera servicing"))
    found = needs.list_needs(
        session, actor=counterpart, filters=NeedFilter(text=need.reference), page=PageRequest()
    )
    assert [item.id for item in found.items] == [need.id]
    assert need.version == 1  # the reference is part of the first save, not a second write


def test_the_needs_list_shows_a_countrys_ranked_needs_by_rank_then_the_unranked_ones(
    session: Session, world: World
) -> None:
    focal = world.actors["focal_ken"]
    rankable = [need.id for need in needs.rankable_needs(session, actor=focal, country_iso3="KEN")]
    assert len(rankable) >= 3
    ranked = [rankable[-1], rankable[0]]  # two ranked, the others left unranked
    needs.rank_needs(session, actor=focal, country_iso3="KEN", ordered_need_ids=ranked)
    session.expire_all()
    for actor in (focal, world.actors["public"], world.actors["facilitator"]):
        page = needs.list_needs(
            session, actor=actor, filters=NeedFilter(country_iso3="KEN"), page=PageRequest(size=100)
        )
        ranks = [need.national_rank for need in page.items]
        shown = [need.id for need in page.items if need.national_rank is not None]
        assert shown == [i for i in ranked if i in shown]  # by rank
        first_unranked = ranks.index(None) if None in ranks else len(ranks)
        assert all(rank is None for rank in ranks[first_unranked:])  # then every unranked one
        unranked = [need.id for need in page.items if need.national_rank is None]
        assert unranked == sorted(unranked)  # among themselves, oldest record first
    everything = needs.list_needs(
        session,
        actor=world.actors["facilitator"],
        filters=NeedFilter(country_iso3="KEN"),
        page=PageRequest(size=100),
    )
    assert [n.id for n in everything.items][: len(ranked)] == ranked  # a facilitator sees both, first
