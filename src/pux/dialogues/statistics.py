"""Statistics of the dialogue for a period: events held, who took part (by gender), travel support given,
recommendations, and the concept notes and needs that followed — per country, region or stakeholder type.

Counts of people are aggregates (no one is named), so the public may see them for public events.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from html import escape

from sqlalchemy.orm import Session

from pux.accounts.permissions import Actor
from pux.dialogues import repository, service
from pux.dialogues import vocabulary as v
from pux.dialogues.models import Participant
from pux.i18n import gettext as _
from pux.needs import repository as needs_repository
from pux.needs import workflow

# Needs that went on to find support, for "what became of the needs that came out of dialogues".
SUPPORTED_NEED_STATUSES = frozenset(
    {workflow.MATCHED, workflow.FUNDED, workflow.IN_IMPLEMENTATION, workflow.COMPLETED}
)
GROUPINGS = ("country", "region", "stakeholder_type")


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive

    def bounds(self) -> tuple[datetime, datetime]:
        return datetime.combine(self.start, datetime.min.time()), datetime.combine(
            self.end + timedelta(days=1), datetime.min.time()
        )


def period(start: date | None, end: date | None) -> Period:
    """The period asked for; by default the last three years and the year ahead."""
    today = date.today()
    start = start or today.replace(year=today.year - 3, month=1, day=1)
    end = end or today.replace(year=today.year + 1, month=12, day=31)
    return Period(min(start, end), max(start, end))


@dataclass
class GroupRow:
    key: str
    events: set[int] = field(default_factory=set)
    participants: int = 0
    attended: int = 0
    by_gender: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    travel: dict[str, Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    supported: int = 0
    recommendations: int = 0
    concept_notes: int = 0
    needs: int = 0
    needs_supported: int = 0

    @property
    def event_count(self) -> int:
        return len(self.events)


@dataclass(frozen=True)
class StatisticsReport:
    by: str
    events_held: int
    events_upcoming: int
    rows: list[GroupRow]
    totals: GroupRow
    events_by_kind: dict[str, int]


def _group_keys(
    by: str, country: str | None, participant: Participant | None, regions: dict[str, str]
) -> str:
    if by == "stakeholder_type":
        kind = service.stakeholder_type(participant) if participant else None
        return kind or v.NOT_STATED
    if by == "region":
        return regions.get(country or "", v.NOT_STATED)
    return country or v.NOT_STATED


def dialogue_statistics(session: Session, *, actor: Actor, period: Period, by: str) -> StatisticsReport:
    """The figures of every event the actor may see that starts in the period, grouped by ``by``."""
    start, end = period.bounds()
    scope = service.event_scope(session, actor)
    visible = {e.id: e for e in repository.events_between(session, start, end, public_only=False)}
    if not scope.everything:
        visible = {i: e for i, e in visible.items() if e.is_public or i in scope.event_ids}
    facts = service.country_facts(session)
    rows: dict[str, GroupRow] = {}
    totals = GroupRow(key="total")

    def row(key: str) -> GroupRow:
        return rows.setdefault(key, GroupRow(key=key))

    for person in repository.participants_between(session, start, end):
        if person.event_id not in visible or person.status not in v.EXPECTED_STATUSES:
            continue
        for target in (row(_group_keys(by, person.country_iso3, person, facts.regions)), totals):
            target.events.add(person.event_id)
            target.participants += 1
            target.attended += person.status == v.ATTENDED
            target.by_gender[person.gender or v.NOT_STATED] += 1
    for grant in repository.grants_between(session, start, end):
        person = grant.application.participant
        if person.event_id not in visible:
            continue
        currency = person.event.budget_currency
        for target in (row(_group_keys(by, person.country_iso3, person, facts.regions)), totals):
            target.travel[currency] += grant.amount
            target.supported += 1
    for recommendation in repository.recommendations_between(session, start, end):
        if recommendation.event_id not in visible:
            continue
        totals.recommendations += 1
        if by != "stakeholder_type" and recommendation.country_iso3:
            row(_group_keys(by, recommendation.country_iso3, None, facts.regions)).recommendations += 1
    notes = [n for n in repository.concept_notes_between(session, start, end) if n.event_id in visible]
    needs = needs_repository.by_ids(session, [n.need_id for n in notes if n.need_id is not None])
    for note in notes:
        need = needs.get(note.need_id or 0)
        targets = (
            [totals]
            if by == "stakeholder_type"
            else [row(_group_keys(by, note.country_iso3, None, facts.regions)), totals]
        )
        for target in targets:
            target.concept_notes += 1
            target.needs += need is not None
            target.needs_supported += need is not None and need.status in SUPPORTED_NEED_STATUSES
    now = service.local_now()
    kinds: dict[str, int] = defaultdict(int)
    for event in visible.values():
        if event.ends_at < now:
            kinds[event.kind] += 1
    ordered = sorted(rows.values(), key=lambda r: (-r.participants, -r.concept_notes, r.key))
    return StatisticsReport(
        by=by,
        events_held=sum(1 for e in visible.values() if e.ends_at < now),
        events_upcoming=sum(1 for e in visible.values() if e.ends_at >= now),
        rows=ordered,
        totals=totals,
        events_by_kind=dict(kinds),
    )


# --- A small server-rendered chart (no JavaScript): participants by gender for the largest groups ------

BAR_COLOURS = {"female": "#5e3c99", "male": "#e66101", "other": "#1b7837", v.NOT_STATED: "#999999"}


def events_chart_svg(report: StatisticsReport, *, label: Callable[[str], str], limit: int = 10) -> str:
    """Stacked horizontal bars of participants by gender for the ``limit`` largest groups, as SVG. Colours
    from a palette that people with the common colour-vision deficiencies tell apart; the same figures are
    in the table beside the chart."""
    groups = report.rows[:limit]
    if not groups:
        return ""
    width, label_width, bar_height, gap = 640, 170, 18, 8
    scale = (width - label_width - 50) / max(r.participants for r in groups)
    height = len(groups) * (bar_height + gap) + 40
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="chart-title" class="chart"><title id="chart-title">'
        f"{escape(_('Participants by gender'))}</title>"
    ]
    for index, group in enumerate(groups):
        y = index * (bar_height + gap)
        parts.append(
            f'<text x="{label_width - 6}" y="{y + 13}" text-anchor="end" font-size="12">'
            f"{escape(label(group.key))}</text>"
        )
        x = float(label_width)
        for gender in (*v.GENDERS, v.NOT_STATED):
            count = group.by_gender.get(gender, 0)
            if not count:
                continue
            parts.append(
                f'<rect x="{x:.1f}" y="{y}" width="{count * scale:.1f}" height="{bar_height}" '
                f'fill="{BAR_COLOURS[gender]}"><title>{escape(v.category_label(v.GENDER, gender))}: '
                f"{count}</title></rect>"
            )
            x += count * scale
        parts.append(f'<text x="{x + 4:.1f}" y="{y + 13}" font-size="12">{group.participants}</text>')
    legend_y = len(groups) * (bar_height + gap) + 14
    x = float(label_width)
    for gender in (*v.GENDERS, v.NOT_STATED):
        parts.append(
            f'<rect x="{x:.0f}" y="{legend_y}" width="12" height="12" fill="{BAR_COLOURS[gender]}"/>'
            f'<text x="{x + 16:.0f}" y="{legend_y + 11}" font-size="12">'
            f"{escape(v.category_label(v.GENDER, gender))}</text>"
        )
        x += 110
    parts.append("</svg>")
    return "".join(parts)
