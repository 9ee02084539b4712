"""What a brief's gap section tells a decision maker beyond its figures: a regional map that keeps a
country's known gap when one of its areas has no known cost (as the world gap map does), and says which
totals are partial; a cost that adds up only the costed needs, and assistance beyond the costed needs,
said beside the figures as the gap pages say them."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from pux.assistance import service as assistance
from pux.briefs import service
from pux.briefs.views import printable_html
from pux.needs import service as needs
from tests.briefs.walk import brief_root, parse, unexplained_digits
from tests.world import World, activity_data, need_data

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


def _published_need_without_a_cost(session: Session, world: World) -> None:
    focal = world.actors["focal_ken"]
    need = needs.create_need(
        session, actor=focal, data=need_data(title="Cost not yet estimated: PET scanner", estimated_cost=None)
    )
    for target in ("submitted", "endorsed", "published"):
        need = needs.transition_need(
            session, actor=focal, need_id=need.id, target=target, version=need.version
        )
    session.flush()


def _gap_row(html: str, label: str) -> str:
    table = html.split('class="data reflow brief-table gap-lines"', 1)[1].split("</table>", 1)[0]
    return next(row for row in table.split("<tr>") if label in row)


def test_a_gap_line_says_how_many_needs_its_cost_leaves_out_and_what_assistance_exceeds(
    session: Session, world: World
) -> None:
    # Kenya's public health gap: the 1.2 million need, one need without a cost, and 2.25 million committed.
    _published_need_without_a_cost(session, world)
    assistance.record_activity(
        session,
        actor=world.actors["partner_a"],
        data=activity_data(world.organisations["donor_a"], amount_committed=2_000_000),
    )
    session.flush()
    brief = service.country_brief(session, actor=world.actors["public"], iso3="KEN", today=TODAY)
    assert brief.gaps is not None
    line = next(line for line in brief.gaps.lines if line.label == "Health and nutrition")
    assert (line.needs_cost.value, line.uncovered.value) == (1_200_000, 0)
    html = printable_html(brief)
    row = _gap_row(html, "Health and nutrition")
    assert "Endorsed needs: 2, 1 without a cost" in row
    assert "Assistance exceeds the costed needs by 1,050,000 USD." in row
    root, texts = parse(html)
    assert unexplained_digits(brief_root(root), texts) == []  # each note cited as the figures are
