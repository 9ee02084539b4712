"""What a brief's gap section tells a decision maker beyond its table: a regional map that keeps a
country's known gap when one of its areas has no known cost (as the world gap map does), and says which
totals are partial."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from pux.assistance import service as assistance
from pux.briefs import service
from pux.briefs.views import printable_html
from tests.world import World, activity_data

TODAY = date(2026, 12, 1)


def _assistance_without_a_need(session: Session, world: World, country: str, area: str = "food") -> None:
    assistance.record_activity(
        session,
        actor=world.actors["partner_a"],
        data=activity_data(
            world.organisations["donor_a"],
            title="Seed irradiation trials",
            recipient_country_iso3=country,
            thematic_area_code=area,
            technique_code=None,
        ),
    )
    session.flush()


def test_the_regional_map_keeps_a_known_gap_beside_an_area_of_unknown_cost(
    session: Session, world: World
) -> None:
    # Kenya: a known health gap (1.2 million less 250,000) and food assistance without an endorsed need.
    _assistance_without_a_need(session, world, "KEN")
    brief = service.region_brief(session, actor=world.actors["public"], m49="014", today=TODAY)
    assert brief.gaps is not None and brief.gaps.map_svg
    assert "Kenya: no data" not in brief.gaps.map_svg
    assert "Kenya: 950,000 USD" in brief.gaps.map_svg
    assert brief.gaps.map_partial == ("Kenya",)
    html = printable_html(brief)
    assert "Uncovered cost (partial for some countries)" in brief.gaps.map_svg
    note = html.split('class="note map-partial"', 1)[1].split("</p>", 1)[0]
    assert "Partial totals" in note and "Kenya" in note
