"""A country brief names an area "the most pressing" only when the priority index knows its burden: a
score without it comes mostly from the group flags and the assistance component (Tuvalu's safety and
security, its burden missing, led its areas on its SIDS and LDC points)."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from pux.briefs import service
from pux.briefs.content import PriorityLine
from tests.world import World

TODAY = date(2026, 12, 1)


def _burden_missing(line: PriorityLine) -> bool:
    return any(label == "Burden" and figure.value is None for label, figure in line.components)


def test_an_area_whose_burden_is_missing_is_not_named_the_most_pressing(
    session: Session, world: World
) -> None:
    brief = service.country_brief(session, actor=world.actors["public"], iso3="TUV", today=TODAY)
    scored = sorted(
        (line for line in brief.priority if line.score.value is not None),
        key=lambda line: -(line.score.value or 0.0),
    )
    top, known = scored[0], next(line for line in scored if not _burden_missing(line))
    assert _burden_missing(top), "Tuvalu's best score is in an area whose burden is missing"
    # Tuvalu has no needs: the techniques shown are those of its most pressing area, one with a known burden.
    named = {technique.area_name for technique in brief.techniques if not technique.needs.value}
    assert named == {known.area_name}
