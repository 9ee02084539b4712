"""The home page's dashboard for each reader: headline figures and the map for everyone; a focal point's
needs by status, what waits and upcoming events; a partner's programmes, proposals and needs that fit;
what waits across countries for a facilitator. It reads through the other domains' services, so every
list and count is limited to what the reader may see; every figure carries its source and year."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.orm import Session

from pux.accounts import permissions
from pux.accounts.permissions import Actor
from pux.dialogues import service as dialogues
from pux.dialogues.models import DialogueEvent
from pux.dialogues.repository import EventFilter
from pux.gaps import service as gaps
from pux.gaps import vocabulary as v
from pux.gaps.schemas import MapFigures, Period
from pux.i18n import gettext as _
from pux.matching import service as matching
from pux.matching.service import NeedSuggestion
from pux.needs import service as needs
from pux.needs import workflow
from pux.needs.repository import NeedFilter
from pux.pagination import PageRequest
from pux.programmes import service as programmes
from pux.programmes.models import Programme
from pux.programmes.repository import ProgrammeFilter
from pux.tasks import service as tasks
from pux.tasks.service import WaitingCounts

PUBLIC, FOCAL_POINT, PARTNER, FACILITATOR = "public", "focal_point", "partner", "facilitator"


@dataclass(frozen=True)
class Headline:
    """One headline figure with where it comes from and a link to the list behind it."""

    label: str
    value: float | None
    unit: str
    source: str
    year: str
    link: str


@dataclass(frozen=True)
class CountryNeeds:
    iso3: str
    by_status: tuple[tuple[str, int], ...]  # (status, count), every status of the workflow


@dataclass
class Dashboard:
    roles: frozenset[str]
    headlines: list[Headline]
    map: MapFigures
    inbox: WaitingCounts | None = None
    country_needs: list[CountryNeeds] = field(default_factory=list)
    events: Sequence[DialogueEvent] = ()
    programmes: Sequence[Programme] = ()
    fitting_needs: list[tuple[Programme, list[NeedSuggestion]]] = field(default_factory=list)


def roles_of(actor: Actor) -> frozenset[str]:
    """Which parts of the dashboard a reader gets (someone may be a focal point and a partner at once)."""
    roles = {PUBLIC}
    if actor.is_global:
        roles.add(FACILITATOR)
    if actor.countries(permissions.FOCAL_POINT, permissions.COUNTERPART):
        roles.add(FOCAL_POINT)
    if permissions.interest_organisations(actor):
        roles.add(PARTNER)
    return frozenset(roles)


def headlines(session: Session, *, actor: Actor) -> list[Headline]:
    """Published needs, unfunded needs, published programmes and this year's committed assistance."""
    today = date.today()
    registry = _("PUX needs registry")
    published = needs.count_needs(session, actor=actor, filters=NeedFilter(status=workflow.PUBLISHED))
    unfunded = gaps.count_unfunded_needs(session, actor=actor)
    offered = programmes.count_programmes(session, actor=actor, filters=ProgrammeFilter(status="published"))
    year = Period.year(today.year)
    return [
        Headline(
            _("Published needs"), float(published), "", registry, today.isoformat(), "/needs?status=published"
        ),
        Headline(
            _("Needs waiting for a partner"), float(unfunded), "", registry, today.isoformat(), "/unfunded"
        ),
        Headline(
            _("Published programmes"),
            float(offered),
            "",
            _("PUX programmes registry"),
            today.isoformat(),
            "/programmes",
        ),
        # Only US dollars are added up: other currencies are not converted without a stated rate.
        Headline(
            _("Assistance committed this year"),
            gaps.usd_committed(session, actor=actor, period=year),
            "USD",
            gaps.assistance_source(),
            year.label,
            "/gaps",
        ),  # fmt: skip
    ]


def dashboard(session: Session, *, actor: Actor, inbox: WaitingCounts | None = None) -> Dashboard:
    """Everything the home page shows this reader. ``inbox``: the reader's waiting tasks, when counted
    already for the page's header (counting them again was seven more queries a visit)."""
    roles = roles_of(actor)
    board = Dashboard(
        roles=roles,
        headlines=headlines(session, actor=actor),
        map=gaps.map_figures(session, actor=actor, indicator=v.NEEDS),
    )
    if roles - {PUBLIC}:
        board.inbox = inbox if inbox is not None else tasks.waiting_counts(session, actor=actor)
        board.events = dialogues.list_events(  # by title and date: no agendas read ahead
            session,
            actor=actor,
            filters=EventFilter(when="upcoming"),
            page=PageRequest(number=1, size=5),
            whole=False,
        ).items
    if FOCAL_POINT in roles:
        for iso3 in sorted(actor.countries(permissions.FOCAL_POINT, permissions.COUNTERPART)):
            counts = tuple(
                (
                    status,
                    needs.count_needs(
                        session, actor=actor, filters=NeedFilter(country_iso3=iso3, status=status)
                    ),
                )
                for status in workflow.STATUSES
            )
            board.country_needs.append(CountryNeeds(iso3, counts))
    if PARTNER in roles:
        own: list[Programme] = []
        for organisation_id in sorted(permissions.interest_organisations(actor)):
            own += programmes.list_programmes(
                session, actor=actor, filters=ProgrammeFilter(organisation_ids=(organisation_id,)),
                page=PageRequest(number=1, size=20),
            ).items  # fmt: skip
        board.programmes = own
        for programme in [p for p in own if p.status == "published"][:2]:
            board.fitting_needs.append(
                (
                    programme,
                    matching.needs_for_programme(session, actor=actor, programme_id=programme.id, k=3),
                )
            )
    return board
