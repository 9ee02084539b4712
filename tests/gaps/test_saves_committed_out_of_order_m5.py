"""Kept figures follow a save that commits after a later one.

The stamps that key kept results (gap reports, list totals) counted the newest change time and the highest
id of the rows: both are given when a row is written, not when it commits. A save written first and
committed last (a row lock held elsewhere, on PostgreSQL) or stamped by a clock a second behind (another
app server) left them unmoved, and every process kept serving the figures from before it.

These tests commit for real, on connections of their own (as two app processes do), and put the world's
records back as they found them."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from pux.accounts.permissions import Actor
from pux.assistance import repository as assistance_repository
from pux.assistance import service as assistance
from pux.assistance.schemas import ActivityUpdate
from pux.db import make_session_factory
from pux.gaps import service as gaps
from pux.needs import service as needs
from pux.needs.schemas import NeedUpdate
from pux.pagination import PageRequest
from tests.world import World, activity_data, need_data

# Written first, committed last: only PostgreSQL lets a second writer commit while the first waits to (a
# SQLite writer holds the database's only write lock from its first write to its commit). Both databases
# run the clock a second behind.
ON_POSTGRESQL = bool(os.environ.get("PUX_TEST_DATABASE_URL"))
INTERLEAVINGS = ["clock_behind", *(["committed_last"] if ON_POSTGRESQL else [])]

Dated = Any  # a record with an ``updated_at`` (a need, an activity)
Write = Callable[[Session, World], Dated]
Reader = Callable[[sessionmaker[Session]], Any]

PUBLISHED_KENYA_NEED = {"title": "Published public: nuclear medicine upgrade"}
PARTNERS_KENYA_NEED = {"title": "Published partners: nuclear medicine upgrade", "visibility": "partners"}


def test_the_stamps_read_the_kinds_the_services_audit() -> None:
    assert assistance_repository.AUDITED_AS == assistance.ENTITY


def _public_kenya_health(factory: sessionmaker[Session]) -> tuple[int, float | None]:
    """What an anonymous reader of Kenya's gap report sees in health: how many needs, at what cost."""
    with factory() as session:
        report = gaps.country_gaps(session, actor=Actor.public(), iso3="KEN")
        line = next(line for line in report.lines if line.gap.area == "health")
        return line.gap.needs_count, line.gap.needs_cost.value


def _public_activities_total(factory: sessionmaker[Session]) -> int:
    """The total an anonymous reader of the activity list sees (kept per stamp and query)."""
    with factory() as session:
        filters = assistance_repository.ActivityFilter()
        page = assistance.list_activities(session, actor=Actor.public(), filters=filters, page=PageRequest())
        return page.total


def _edit_need(session: Session, world: World, key: str, **fields: object) -> Dated:
    focal = world.actors["focal_ken"]
    need = needs.get_need(session, actor=focal, need_id=world.needs[key])
    values = need_data(**fields).model_dump() | {"version": need.version}
    return needs.update_need(session, actor=focal, need_id=need.id, data=NeedUpdate.model_validate(values))


def _edit_activity(
    session: Session, world: World, key: str, actor: str, provider: str, **fields: object
) -> Dated:
    current = assistance_repository.get(session, world.activities[key])
    assert current is not None
    data = activity_data(world.organisations[provider], **fields).model_dump() | {"version": current.version}
    return assistance.update_activity(
        session, actor=world.actors[actor], activity_id=current.id, data=ActivityUpdate.model_validate(data)
    )


def _show_kenya_need(session: Session, world: World, visibility: str = "public") -> Dated:
    return _edit_need(session, world, "published_ken", **PUBLISHED_KENYA_NEED, visibility=visibility)


def _hide_kenya_need(session: Session, world: World) -> Dated:
    return _show_kenya_need(session, world, "private")


def _title_other_need(session: Session, world: World, title: str = "Retitled meanwhile") -> Dated:
    return _edit_need(session, world, "partners_ken", **PARTNERS_KENYA_NEED | {"title": title})


def _show_kenya_activity(session: Session, world: World, visibility: str = "public") -> Dated:
    return _edit_activity(session, world, "public_a", "partner_a", "donor_a", visibility=visibility)


def _hide_kenya_activity(session: Session, world: World) -> Dated:
    return _show_kenya_activity(session, world, "private")


def _title_other_activity(session: Session, world: World, title: str = "Retitled meanwhile") -> Dated:
    return _edit_activity(
        session, world, "private_b", "officer_b", "agency_b",
        title=title, recipient_country_iso3="UGA", visibility="private",
    )  # fmt: skip


def _save_committed_out_of_order(
    factory: sessionmaker[Session], world: World, interleaving: str, first: Write, later: Write, read: Reader
) -> object:
    """``first`` is written before ``later`` but committed after it (PostgreSQL), or dated before it by a
    clock a second behind; returns what a reader saw (and kept) once ``later`` had committed."""
    if interleaving == "committed_last":
        with factory() as waiting:
            first(waiting, world)  # written (its row locked) at the earlier time, not committed
            with factory() as other:
                later(other, world)
                other.commit()
            seen = read(factory)
            waiting.commit()
        return seen
    with factory() as other:
        later_time = later(other, world).updated_at
        other.commit()
    seen = read(factory)
    with factory() as behind:
        written = first(behind, world)
        written.updated_at = later_time - timedelta(seconds=1)
        behind.commit()
    return seen


@contextmanager
def _put_back(factory: sessionmaker[Session], world: World, *writes: Write) -> Iterator[None]:
    """The world's records as the other tests expect them, whatever happened."""
    try:
        yield
    finally:
        for write in writes:
            with factory() as session:
                write(session, world)
                session.commit()


@pytest.mark.parametrize("interleaving", INTERLEAVINGS)
def test_a_need_hidden_by_a_save_committed_out_of_order_leaves_the_public_gap(
    engine: Engine, world: World, interleaving: str
) -> None:
    factory = make_session_factory(engine)
    count, cost = _public_kenya_health(factory)
    assert cost is not None
    with _put_back(
        factory, world, _show_kenya_need, lambda s, w: _title_other_need(s, w, PARTNERS_KENYA_NEED["title"])
    ):
        seen = _save_committed_out_of_order(
            factory, world, interleaving, _hide_kenya_need, _title_other_need, _public_kenya_health
        )
        assert seen == (count, cost)  # kept while the hiding save waited
        # Every reader, in this process too, now counts the need hidden: not the figures kept before.
        hidden_count, hidden_cost = _public_kenya_health(factory)
        assert (hidden_count, hidden_cost or 0) == (count - 1, cost - 1_200_000)  # None: no costed need left
    assert _public_kenya_health(factory) == (count, cost)


@pytest.mark.parametrize("interleaving", INTERLEAVINGS)
def test_an_activity_hidden_by_a_save_committed_out_of_order_leaves_the_public_total(
    engine: Engine, world: World, interleaving: str
) -> None:
    factory = make_session_factory(engine)
    total = _public_activities_total(factory)
    with _put_back(
        factory,
        world,
        _show_kenya_activity,
        lambda s, w: _title_other_activity(s, w, "Confidential planning mission"),
    ):
        seen = _save_committed_out_of_order(
            factory,
            world,
            interleaving,
            _hide_kenya_activity,
            _title_other_activity,
            _public_activities_total,
        )
        assert seen == total
        assert _public_activities_total(factory) == total - 1
    assert _public_activities_total(factory) == total
