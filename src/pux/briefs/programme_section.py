"""The section of a country brief that names the programmes which could take up its unmet needs: the one
place where briefs read pux.matching.

The recommendations are the matching service's own (the need page's "Programmes that fit"): the engine
keeps to the programmes open to matching and checks eligibility, and the service shows only the programmes
the reader may see, so a brief never names a programme its reader could not open. The needs are those the
brief already lists for the reader, in the brief's order (the country's own ranking first).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from sqlalchemy.orm import Session

from pux.accounts.permissions import Actor
from pux.briefs import vocabulary as v
from pux.briefs.content import Figure, NeedLine, NeedOffers, ProgrammeOffer
from pux.matching import service as matching
from pux.matching.engine import ELIGIBLE_STATUSES
from pux.needs.models import Need
from pux.programmes.models import Programme


def waiting(needs: Iterable[Need]) -> list[Need]:
    """The first needs still waiting for a partner, in the order given: those the engine recommends for
    (endorsed or published; a matched or funded need has its partner, a draft is not the country's word)."""
    return [need for need in needs if need.status in ELIGIBLE_STATUSES][: v.MAX_MATCHED_NEEDS]


def for_needs(
    session: Session,
    *,
    actor: Actor,
    needs: Sequence[Need],
    need_line: Callable[[Need], NeedLine],
    remaining: Callable[[Programme], Figure],
    cite: Callable[[str], str],
    year: str,
) -> list[NeedOffers]:
    """The best open programmes for each of ``needs`` (chosen by ``waiting`` from those the reader may see),
    each with why it fits and its remaining budget; a need no programme matches keeps an empty list."""
    source = ""
    sections = []
    for need in needs:
        suggestions = matching.programmes_for_need(
            session, actor=actor, need_id=need.id, k=v.MAX_PROGRAMMES_PER_NEED
        )
        if suggestions and not source:
            source = cite(v.matching_source())
        offers = tuple(
            ProgrammeOffer(
                programme_id=suggestion.programme.id,
                title=suggestion.programme.title,
                organisation=suggestion.programme.organisation.name,
                fit=Figure(round(suggestion.fit * 100), "%", source, year),
                reasons=suggestion.reasons,
                remaining=remaining(suggestion.programme),
            )
            for suggestion in suggestions
        )
        sections.append(NeedOffers(need=need_line(need), offers=offers))
    return sections
