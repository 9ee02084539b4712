"""The gaps section of a brief (and its map): the one place where briefs read pux.gaps and pux.charts.

Kept apart so that the gap arithmetic stays pux.gaps' alone: a brief prints what that package computes,
and says so plainly when it has nothing to print.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from pux.accounts.permissions import Actor
from pux.briefs.content import GapSection


def for_country(session: Session, *, actor: Actor, iso3: str) -> GapSection | None:
    """The gap of each thematic area of a country (None: not computed, the brief says so)."""
    return None


def for_region(session: Session, *, actor: Actor, m49: str) -> GapSection | None:
    """The gaps of a region's countries, the largest relative to their burden first."""
    return None


def for_organisation(session: Session, *, actor: Actor, organisation_id: int) -> GapSection | None:
    """The gaps in the areas an organisation works in, which it could fill."""
    return None
