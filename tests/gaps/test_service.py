"""The gaps service on the real database: only what the reader may see is counted, the unfunded board
lists what waits for a partner, and marks of interest are permitted, audited and reach the focal point."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from pux.accounts.permissions import PermissionDenied
from pux.assistance import service as assistance
from pux.audit.models import AuditEvent
from pux.errors import NotFound, ValidationFailed
from pux.gaps import service
from pux.gaps.engine import ExchangeRate
from pux.gaps.schemas import InterestCreate, Period, UnfundedFilter, WhoFilter
from pux.needs import service as needs
from pux.pagination import PageRequest
from pux.priority import service as priority
from pux.tasks import service as tasks
from tests.world import ROLES, World, activity_data, need_data


def kenya_health(session: Session, world: World, role: str, **options: object):  # type: ignore[no-untyped-def]
    report = service.country_gaps(session, actor=world.actors[role], iso3="KEN", **options)  # type: ignore[arg-type]
    return next(line.gap for line in report.lines if line.gap.area == "health")


@pytest.mark.parametrize(
    ("role", "needs_cost"),
    [
        ("public", 1_200_000),  # the published public need only
        ("partner_a", 2_400_000),  # and the one shared with partners
        ("focal_ken", 3_600_000),  # and the country's private one (drafts and submitted never count)
        ("admin", 3_600_000),
    ],
)
def test_a_gap_counts_only_the_needs_the_reader_may_see(
    session: Session, world: World, role: str, needs_cost: int
) -> None:
    gap = kenya_health(session, world, role)
    assert gap.needs_cost.value == needs_cost
    assert gap.covered.value == 250_000  # the public activity of donor A (no dates: runs throughout)
    assert gap.uncovered.value == needs_cost - 250_000
    assert gap.needs_cost.source and gap.needs_cost.year
    assert gap.covered.year == date.today().isoformat()


def test_private_assistance_is_not_counted_for_the_public(session: Session, world: World) -> None:
    public = service.who_does_what_where(
        session, actor=world.actors["public"], filters=WhoFilter(country_iso3="UGA")
    )
    officer = service.who_does_what_where(
        session, actor=world.actors["officer_b"], filters=WhoFilter(country_iso3="UGA")
    )
    assert public.rows == []
    assert [(r.provider_name, r.activities, r.committed) for r in officer.rows] == [
        ("Test Cooperation Agency B", 1, 250_000.0)
    ]


def test_stated_rate_converts_a_need_in_euros(session: Session, world: World) -> None:
    need = needs.create_need(
        session, actor=world.actors["focal_ken"],
        data=need_data(title="Euro-costed need", estimated_cost=Decimal("100000"), currency="EUR"),
    )  # fmt: skip
    for target in ("submitted", "endorsed"):
        need = needs.transition_need(
            session, actor=world.actors["focal_ken"], need_id=need.id, target=target, version=need.version
        )
    without = kenya_health(session, world, "focal_ken")
    assert without.needs_cost.value == 3_600_000  # the euros are not counted without a rate...
    assert [(m.amount, m.currency) for m in without.conversion.unconverted] == [
        (100_000, "EUR")
    ]  # ...but listed
    rate = ExchangeRate("EUR", "USD", 1.1, 2025, "test rate")
    converted = kenya_health(session, world, "focal_ken", rates=(rate,))
    assert converted.needs_cost.value == pytest.approx(3_710_000)
    assert converted.conversion.applied == (rate,) and converted.conversion.complete


def test_two_providers_on_the_same_technique_raise_the_duplication_flag(
    session: Session, world: World
) -> None:
    assert not kenya_health(session, world, "admin").duplicated
    assistance.record_activity(
        session, actor=world.actors["officer_b"],
        data=activity_data(world.organisations["agency_b"], title="Second brachytherapy course"),
    )  # fmt: skip
    gap = kenya_health(session, world, "admin")
    assert gap.duplicated_techniques == ("brachytherapy",)
    assert gap.providers == 2 and gap.covered.value == 500_000


def test_assistance_outside_the_period_is_not_current(session: Session, world: World) -> None:
    assistance.record_activity(
        session, actor=world.actors["partner_a"],
        data=activity_data(
            world.organisations["donor_a"], title="Old project", start_date=date(2015, 1, 1),
            end_date=date(2016, 12, 31), amount_committed=Decimal("900000"), status="closed",
        ),
    )  # fmt: skip
    assert kenya_health(session, world, "admin").covered.value == 250_000
    report = service.who_does_what_where(
        session, actor=world.actors["admin"], filters=WhoFilter(country_iso3="KEN"), period=Period.year(2016)
    )
    # Donor A's undated activity runs throughout, so 2016 holds both (same provider, area and technique).
    assert [(r.activities, r.committed) for r in report.rows] == [(2, 1_150_000.0)]
    earlier = service.who_does_what_where(
        session, actor=world.actors["admin"], filters=WhoFilter(country_iso3="KEN"), period=Period.year(2014)
    )
    assert [(r.activities, r.committed) for r in earlier.rows] == [(1, 250_000.0)]


def test_a_past_period_counts_the_activities_that_ran_then_and_have_closed_since(
    session: Session, world: World
) -> None:
    """Closed is the activity's status today: in 2016 the old project ran, and a gap for that year counts
    it (it counted nothing: every activity closed since was left out of every period)."""
    assistance.record_activity(
        session, actor=world.actors["partner_a"],
        data=activity_data(
            world.organisations["donor_a"], title="Old project", start_date=date(2015, 1, 1),
            end_date=date(2016, 12, 31), amount_committed=Decimal("900000"), status="closed",
        ),
    )  # fmt: skip
    assert kenya_health(session, world, "admin", period=Period.year(2016)).covered.value == 1_150_000
    assert kenya_health(session, world, "admin", period=Period.year(2014)).covered.value == 250_000
    assert kenya_health(session, world, "admin").covered.value == 250_000  # today: closed, left out


def test_current_assistance_is_what_runs_today_whether_or_not_it_has_an_end_date(
    session: Session, world: World
) -> None:
    """The sums over running activities read those with no end date and those ending later alike (two
    reads of one index), and neither one that ended yesterday nor one that starts tomorrow."""
    today = date.today()
    for provider, role, title, start, end, amount in (
        (
            "agency_b",
            "officer_b",
            "Ends next month",
            today - timedelta(days=300),
            today + timedelta(days=30),
            "100000",
        ),
        (
            "agency_b",
            "officer_b",
            "Ended yesterday",
            today - timedelta(days=300),
            today - timedelta(days=1),
            "7000",
        ),
        (
            "agency_b",
            "officer_b",
            "Starts tomorrow",
            today + timedelta(days=1),
            today + timedelta(days=90),
            "9000",
        ),
    ):
        assistance.record_activity(
            session, actor=world.actors[role],
            data=activity_data(world.organisations[provider], title=title, start_date=start, end_date=end,
                               amount_committed=Decimal(amount)),
        )  # fmt: skip
    gap = kenya_health(session, world, "admin")
    assert gap.covered.value == 350_000  # donor A's undated 250,000 and agency B's 100,000 ending next month
    assert gap.providers == 2 and gap.duplicated_techniques == ("brachytherapy",)
    kenya = next(line for line in priority.country_inputs(session) if line.iso3 == "KEN")
    assert kenya.assistance_by_area == {"health": 350_000.0}  # the priority index's current commitments
    report = service.who_does_what_where(
        session, actor=world.actors["admin"], filters=WhoFilter(country_iso3="KEN"), period=Period.on(today)
    )
    assert sorted((r.provider_name, r.activities, r.committed) for r in report.rows) == [
        ("Test Cooperation Agency B", 1, 100_000.0),
        ("Test Donor Agency A", 1, 250_000.0),
    ]


def test_the_gap_adds_up_what_the_database_sums_per_currency_and_counts_what_is_missing(
    session: Session, world: World
) -> None:
    before = kenya_health(session, world, "admin")
    for extra in (
        {"currency": "EUR", "amount_committed": Decimal("100000")},
        {"amount_committed": None},
        {"thematic_area_code": None, "amount_committed": Decimal("999999")},
    ):
        data = activity_data(world.organisations["agency_b"], title="Counted apart", **extra)
        assistance.record_activity(session, actor=world.actors["officer_b"], data=data)
    gap = kenya_health(session, world, "admin")
    # The euros are not converted without a rate, the unstated amount is counted, not zero, and the
    # activity without an area is in no area's gap.
    assert gap.covered.value == before.covered.value == 250_000
    assert gap.activities_count == before.activities_count + 2 and gap.activities_without_amount == 1
    assert [(m.currency, m.amount) for m in gap.conversion.unconverted] == [("EUR", 100_000.0)]
    assert gap.providers == before.providers + 1
    converted = kenya_health(session, world, "admin", rates=[ExchangeRate("EUR", "USD", 1.1, 2026, "test")])
    assert converted.covered.value == pytest.approx(250_000 + 110_000)


def test_by_region_a_providers_rows_in_the_regions_countries_are_added_up(
    session: Session, world: World
) -> None:
    for country, amount in (("UGA", Decimal("100000")), ("TZA", None)):
        data = activity_data(
            world.organisations["donor_a"], recipient_country_iso3=country, amount_committed=amount
        )
        assistance.record_activity(session, actor=world.actors["partner_a"], data=data)
    by_region = service.who_does_what_where(
        session, actor=world.actors["admin"], filters=WhoFilter(by="region", region_m49="014")
    )
    donor_a = [r for r in by_region.rows if r.provider_id == world.organisations["donor_a"]]
    # Kenya's 250,000, Uganda's 100,000 and Tanzania's unstated amount: one row for their sub-region.
    assert [
        (r.recipient_code, r.recipient_name, r.activities, r.committed, r.disbursed) for r in donor_a
    ] == [("202", "Sub-Saharan Africa", 3, 350_000.0, None)]
    by_country = service.who_does_what_where(
        session, actor=world.actors["admin"], filters=WhoFilter(region_m49="014")
    )
    assert sorted(
        (r.recipient_code, r.committed)
        for r in by_country.rows
        if r.provider_id == world.organisations["donor_a"]
    ) == [("KEN", 250_000.0), ("TZA", None), ("UGA", 100_000.0)]


def board(session: Session, world: World, role: str, **filters: object) -> list[int]:
    page = service.unfunded_needs(
        session,
        actor=world.actors[role],
        filters=UnfundedFilter(country_iso3="KEN", **filters),  # type: ignore[arg-type]
    )
    return [item.need_id for item in page.items]


def test_the_board_lists_unfunded_needs_the_reader_may_see(session: Session, world: World) -> None:
    assert board(session, world, "public") == [world.needs["published_ken"]]
    assert set(board(session, world, "partner_a")) == {
        world.needs["published_ken"],
        world.needs["partners_ken"],
    }
    everything = set(board(session, world, "focal_ken"))
    assert world.needs["private_ken"] in everything and world.needs["draft_ken"] not in everything
    # Funding recorded against a need takes it off the board.
    assistance.record_activity(
        session, actor=world.actors["partner_a"],
        data=activity_data(world.organisations["donor_a"], need_id=world.needs["published_ken"]),
    )  # fmt: skip
    assert board(session, world, "public") == []


@pytest.mark.parametrize("sort", ["priority", "oldest", "cost"])
def test_the_board_pages_hold_the_whole_sorted_board_once(session: Session, world: World, sort: str) -> None:
    """Needs are sorted by what the board shows, and only the page shown is read whole: page after page of
    one need gives the whole board in its order, each need once, with its own figures."""
    focal = world.actors["focal_ken"]
    whole = service.unfunded_needs(session, actor=focal, page=PageRequest(size=200), sort=sort)
    assert whole.total >= 3
    paged = [
        item
        for number in range(1, whole.total + 1)
        for item in service.unfunded_needs(
            session, actor=focal, page=PageRequest(number=number, size=1), sort=sort
        ).items
    ]
    assert [(i.need_id, i.title, i.cost.value) for i in paged] == [
        (i.need_id, i.title, i.cost.value) for i in whole.items
    ]
    if sort == "cost":
        known = [i.cost.value for i in whole.items if i.cost.value is not None]
        assert known == sorted(known, reverse=True)
        assert [i.cost.value for i in whole.items][len(known) :] == [None] * (whole.total - len(known))
    if sort == "oldest":
        waiting = [i.waiting_since for i in whole.items]
        assert waiting == sorted(waiting)


def test_the_home_page_count_of_unfunded_needs_is_the_boards_length(session: Session, world: World) -> None:
    counts = {role: service.count_unfunded_needs(session, actor=world.actors[role]) for role in ROLES}
    listed = {role: service.unfunded_needs(session, actor=world.actors[role]).total for role in ROLES}
    assert counts == listed
    assert counts["focal_ken"] > counts["public"] > 0


def test_the_home_page_total_committed_this_year_is_the_who_tables_dollar_total(
    session: Session, world: World
) -> None:
    year = Period.year(date.today().year)
    totals = {role: service.usd_committed(session, actor=world.actors[role], period=year) for role in ROLES}
    tables = {
        role: service.who_does_what_where(
            session, actor=world.actors[role], period=year
        ).committed_by_currency.get("USD")
        for role in ROLES
    }
    assert totals == tables
    assert totals["admin"] is not None and totals["admin"] > (
        totals["public"] or 0
    )  # private activities count


def test_board_filters_a_donor_uses(session: Session, world: World) -> None:
    published = world.needs["published_ken"]
    assert board(session, world, "public", thematic_area_code="water") == []
    assert board(session, world, "public", technique_code="radiotherapy") == [published]
    assert board(session, world, "public", cost_min=Decimal("1000000"), cost_max=Decimal("2000000")) == [
        published
    ]
    assert board(session, world, "public", cost_max=Decimal("1000000")) == []
    assert board(session, world, "public", region_m49="014") == [published]  # Eastern Africa
    assert board(session, world, "public", region_m49="150") == []  # Europe
    assert board(session, world, "public", footnote_a_only=True) == []
    need = needs.get_need(session, actor=world.actors["admin"], need_id=published)
    need.unfunded_footnote_a = True
    session.flush()
    assert board(session, world, "public", footnote_a_only=True) == [published]
    with pytest.raises(ValidationFailed) as refused:
        board(session, world, "public", cost_min=Decimal("5"), cost_max=Decimal("1"))
    assert refused.value.problems[0].field == "cost_max"


def interest_events(session: Session, interest_id: int) -> list[str]:
    statement = select(AuditEvent.action).where(
        AuditEvent.entity_type == "need_interest", AuditEvent.entity_id == str(interest_id)
    )
    return list(session.scalars(statement.order_by(AuditEvent.id)))


def test_a_partner_marks_interest_and_the_focal_point_sees_and_acknowledges_it(
    session: Session, world: World
) -> None:
    need_id = world.needs["published_ken"]
    interest = service.mark_interest(
        session, actor=world.actors["partner_a"], need_id=need_id, data=InterestCreate(note="We fund bunkers")
    )
    assert interest.organisation_id == world.organisations["donor_a"]
    assert interest_events(session, interest.id) == ["need_interest.mark"]
    waiting = service.interests_waiting(session, actor=world.actors["focal_ken"])
    assert [(w.need_id, w.organisation_name, w.note) for w in waiting] == [
        (need_id, "Test Donor Agency A", "We fund bunkers")
    ]
    assert any(
        i.interest_id == interest.id for i in tasks.inbox(session, actor=world.actors["focal_ken"]).interests
    )
    assert service.interests_waiting(session, actor=world.actors["focal_uga"]) == []
    # Who sees the mark on the need: its country and the organisation; not the public, not another partner.
    assert (
        len(service.interests_for_need(session, actor=world.actors["counterpart_ken"], need_id=need_id)) == 1
    )
    assert service.interests_for_need(session, actor=world.actors["public"], need_id=need_id) == []
    assert service.interests_for_need(session, actor=world.actors["officer_b"], need_id=need_id) == []
    with pytest.raises(PermissionDenied):
        service.acknowledge_interest(session, actor=world.actors["counterpart_ken"], interest_id=interest.id)
    service.acknowledge_interest(session, actor=world.actors["focal_ken"], interest_id=interest.id)
    assert service.interests_waiting(session, actor=world.actors["focal_ken"]) == []
    service.withdraw_interest(session, actor=world.actors["partner_a"], interest_id=interest.id)
    assert interest_events(session, interest.id) == [
        "need_interest.mark", "need_interest.acknowledge", "need_interest.withdraw",
    ]  # fmt: skip
    page = service.unfunded_needs(
        session, actor=world.actors["partner_a"], filters=UnfundedFilter(country_iso3="KEN")
    )
    assert all(not item.my_interest and item.interest_count == 0 for item in page.items)


def test_interest_is_refused_without_the_right_and_on_needs_that_do_not_wait(
    session: Session, world: World
) -> None:
    with pytest.raises(PermissionDenied):  # a focal point speaks for no organisation
        service.mark_interest(
            session,
            actor=world.actors["focal_ken"],
            need_id=world.needs["published_ken"],
            data=InterestCreate(),
        )
    with pytest.raises(NotFound):  # a draft is not visible to a partner
        service.mark_interest(
            session, actor=world.actors["partner_a"], need_id=world.needs["draft_ken"], data=InterestCreate()
        )
    with pytest.raises(PermissionDenied):  # not an organisation the partner represents
        service.mark_interest(
            session, actor=world.actors["partner_a"], need_id=world.needs["published_ken"],
            data=InterestCreate(organisation_id=world.organisations["agency_b"]),
        )  # fmt: skip
    with pytest.raises(ValidationFailed):  # a submitted need does not wait for a partner yet
        service.mark_interest(
            session, actor=world.actors["admin"], need_id=world.needs["submitted_ken"],
            data=InterestCreate(organisation_id=world.organisations["donor_a"]),
        )  # fmt: skip
    assert session.scalars(select(AuditEvent).where(AuditEvent.entity_type == "need_interest")).all() == []


def test_map_figures_keep_missing_apart_from_zero(session: Session, world: World) -> None:
    needs_map = service.map_figures(session, actor=world.actors["public"], indicator="needs")
    assert needs_map.values["KEN"] == 1  # the published public need
    assert needs_map.values.get("UGA") == 0  # a recipient with no visible need: a real zero
    assert "SWE" not in needs_map.values  # not a recipient: no figure at all ("no data" on the map)
    gap_map = service.map_figures(session, actor=world.actors["public"], indicator="gap")
    assert gap_map.values["KEN"] == 950_000
    assistance_map = service.map_figures(session, actor=world.actors["public"], indicator="assistance")
    assert assistance_map.values["KEN"] == 250_000 and assistance_map.unit == "USD"
    with pytest.raises(ValidationFailed):
        service.map_figures(session, actor=world.actors["public"], indicator="rainfall")


def test_the_priority_map_names_each_countrys_own_data_years(session: Session, world: World) -> None:
    figures = service.map_figures(session, actor=world.actors["public"], indicator="priority", area="health")
    standing = service.standing_by_country_and_area(
        session, areas=frozenset({"health"}), actor=world.actors["public"]
    )
    own = {iso3: entry.year for (iso3, _area), entry in standing.items() if entry.year}
    assert own and figures.years_by_country == own
    # Some countries' data cover fewer years than the map's span: those are the ones it must not overstate.
    assert any(years != figures.year for years in figures.years_by_country.values()), figures.year


def test_the_needs_map_kept_between_pages_follows_a_new_endorsement(session: Session, world: World) -> None:
    before = service.map_figures(session, actor=world.actors["focal_ken"], indicator="needs").values["KEN"]
    need = needs.get_need(session, actor=world.actors["focal_ken"], need_id=world.needs["submitted_ken"])
    needs.transition_need(
        session, actor=world.actors["focal_ken"], need_id=need.id, target="endorsed", version=need.version
    )
    after = service.map_figures(session, actor=world.actors["focal_ken"], indicator="needs").values["KEN"]
    assert after == before + 1


def test_the_standings_kept_between_pages_follow_a_new_observation(session: Session) -> None:
    """The priority standings are kept per process; an observation loaded since (even around PUX's
    services, as a loader does) gives the country a new standing on the next page."""
    from pux.priority import service as priority
    from pux.reference.models import IndicatorObservation

    before = service.standing_by_country_and_area(session, areas=frozenset({"health"}))
    assert before == service.standing_by_country_and_area(session, areas=frozenset({"health"}))
    config, _data = priority.active_config(session)
    burden_codes = [rule.code for rule in config.areas["health"].burden]
    kenya = session.scalars(
        select(IndicatorObservation)
        .where(
            IndicatorObservation.country_iso3 == "KEN",
            IndicatorObservation.indicator_code.in_(burden_codes),
        )
        .order_by(IndicatorObservation.year.desc(), IndicatorObservation.indicator_code)
    ).first()
    assert kenya is not None, "the reference data carry Kenya's indicators"
    session.add(
        IndicatorObservation(
            country_iso3="KEN",
            indicator_code=kenya.indicator_code,
            year=kenya.year + 1,
            value=kenya.value * 10 + 1000,
            unit=kenya.unit,
            source_code=kenya.source_code,
        )
    )
    session.flush()
    after = service.standing_by_country_and_area(session, areas=frozenset({"health"}))
    assert after[("KEN", "health")] != before[("KEN", "health")]
