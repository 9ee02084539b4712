"""Statistics of the dialogue for a period: events held, who took part (by gender), travel support given,
recommendations, and the concept notes and needs that followed — per country, region or stakeholder type.

Counts of people are aggregates (no one is named), so the public may see them for public events. Concept
notes and needs are counted only as far as the reader may see them, and the travel support of a group of
fewer than ``SMALLEST_GROUP_SHOWN`` supported people is hidden from all but those who run events: the
amount of a group of one is that person's award. So is the gender split of a group of fewer than
``SMALLEST_GROUP_SHOWN`` people: a group of one's split is that named participant's gender.

For the public the hidden splits are chosen for all of the page's tables of the period at once (by country,
by region, by stakeholder type, the total), so that no sum or difference of the splits shown, in any of them,
isolates fewer than ``SMALLEST_GROUP_SHOWN`` people whose split is hidden: a region's split is shown only when
the hidden countries in it hold none or at least that many people, and the same holds for the hidden
countries of the hidden regions taken together, against the total. The public asks for one whole calendar
year at a time (1 January to 31 December): two overlapping periods would differ by a few days or a year
whose people the subtraction of their tables would give away.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from html import escape

from sqlalchemy.orm import Session

from pux.accounts import permissions
from pux.accounts.permissions import Actor
from pux.dialogues import repository, service
from pux.dialogues import vocabulary as v
from pux.dialogues.models import Participant
from pux.i18n import gettext as _
from pux.i18n import text_direction
from pux.needs import repository as needs_repository
from pux.needs import workflow
from pux.needs.models import Need

# Needs that went on to find support, for "what became of the needs that came out of dialogues".
SUPPORTED_NEED_STATUSES = frozenset(
    {workflow.MATCHED, workflow.FUNDED, workflow.IN_IMPLEMENTATION, workflow.COMPLETED}
)
GROUPINGS = ("country", "region", "stakeholder_type")
# Travel support given to fewer people than this, in one group and currency, is not shown to the public;
# nor is the gender split of a group of fewer people than this.
SMALLEST_GROUP_SHOWN = 3
# Why an amount or a gender split is hidden: the group is too small, or its figures would give a small
# group's away by subtraction from the total.
TOO_FEW = "too_few"
COMPLEMENT = "complement"


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
    supported_in: dict[str, int] = field(default_factory=lambda: defaultdict(int))  # by currency
    hidden_travel: dict[str, str] = field(default_factory=dict)  # currency -> TOO_FEW or COMPLEMENT
    gender_hidden: str | None = None  # TOO_FEW or COMPLEMENT when ``by_gender`` was emptied for the reader
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

    people: list[_Person] = []
    for person in repository.participants_between(session, start, end):
        if person.event_id not in visible or person.status not in v.EXPECTED_STATUSES:
            continue
        people.append(
            {
                grouping: _group_keys(grouping, person.country_iso3, person, facts.regions)
                for grouping in GROUPINGS
            }
        )
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
            target.supported_in[currency] += 1
            target.supported += 1
    for recommendation in repository.recommendations_between(session, start, end):
        if recommendation.event_id not in visible:
            continue
        totals.recommendations += 1
        if by != "stakeholder_type" and recommendation.country_iso3:
            row(_group_keys(by, recommendation.country_iso3, None, facts.regions)).recommendations += 1
    notes = [n for n in repository.concept_notes_between(session, start, end) if n.event_id in visible]
    needs = _visible_needs(session, actor, [n.need_id for n in notes if n.need_id is not None])
    for note in notes:
        need = needs.get(note.need_id or 0)
        if need is None and not permissions.can_refine_concept_note(actor, country_iso3=note.country_iso3):
            continue  # a note is seen by its country and the facilitators, or through the need it became
        targets = (
            [totals]
            if by == "stakeholder_type"
            else [row(_group_keys(by, note.country_iso3, None, facts.regions)), totals]
        )
        for target in targets:
            target.concept_notes += 1
            target.needs += need is not None
            target.needs_supported += need is not None and need.status in SUPPORTED_NEED_STATUSES
    held = [event for event in visible.values() if service.has_ended(event)]  # wherever it was held
    kinds: dict[str, int] = defaultdict(int)
    for event in held:
        kinds[event.kind] += 1
    ordered = sorted(rows.values(), key=lambda r: (-r.participants, -r.concept_notes, r.key))
    if not permissions.can_run_events(actor):
        _hide_small_travel(ordered, totals)
        _hide_gender_splits(ordered, totals, _hidden_gender_splits(people)[by])
    return StatisticsReport(
        by=by,
        events_held=len(held),
        events_upcoming=len(visible) - len(held),
        rows=ordered,
        totals=totals,
        events_by_kind=dict(kinds),
    )


def _visible_needs(session: Session, actor: Actor, ids: list[int]) -> dict[int, Need]:
    """The needs of these ids the actor may see (a country's draft is its own until published)."""
    return {
        need_id: need
        for need_id, need in needs_repository.by_ids(session, ids).items()
        if permissions.can_view_need(
            actor, country_iso3=need.country_iso3, status=need.status, visibility=need.visibility
        )
    }


def _hide_small_travel(rows: list[GroupRow], totals: GroupRow) -> None:
    """Take out the travel support of every group (and currency) with fewer than SMALLEST_GROUP_SHOWN
    supported people, and, while the hidden groups together still hold fewer (the total less the groups
    shown would give their sum back: two groups of one are two people who each know their own award),
    the smallest groups shown with them: the gender splits' rule."""
    for currency in list(totals.travel):
        if totals.supported_in[currency] < SMALLEST_GROUP_SHOWN:
            _hide(totals, currency, TOO_FEW)
        by_key = {r.key: r for r in rows if r.supported_in[currency] > 0}
        sizes = {key: row.supported_in[currency] for key, row in by_key.items()}
        for key, reason in _small_and_complements(sizes).items():
            _hide(by_key[key], currency, reason)


def _hide(group: GroupRow, currency: str, reason: str) -> None:
    group.travel.pop(currency, None)
    group.hidden_travel[currency] = reason


# A counted participant's group in each of the page's groupings.
_Person = dict[str, str]
TOTAL = "total"


def _hidden_gender_splits(people: list[_Person]) -> dict[str, dict[str, str]]:
    """For each grouping, the groups (``TOTAL`` for the total) whose gender split the public must not see,
    and why; decided for all the tables of the period together (see the module's docstring)."""
    sizes = {grouping: _sizes(people, grouping) for grouping in GROUPINGS}
    hidden = {grouping: _small_and_complements(sizes[grouping]) for grouping in GROUPINGS}
    hidden["region"] = _regions_hiding_small_countries(people, hidden["country"], sizes["region"])
    total_hidden = len(people) < SMALLEST_GROUP_SHOWN or TOTAL in hidden["region"]
    for grouping in GROUPINGS:
        hidden[grouping].pop(TOTAL, None)
        if total_hidden:
            hidden[grouping][TOTAL] = TOO_FEW if len(people) < SMALLEST_GROUP_SHOWN else COMPLEMENT
    return hidden


def _sizes(people: list[_Person], grouping: str) -> dict[str, int]:
    sizes: dict[str, int] = defaultdict(int)
    for person in people:
        sizes[person[grouping]] += 1
    return sizes


def _small_and_complements(sizes: dict[str, int]) -> dict[str, str]:
    """Every group of fewer than SMALLEST_GROUP_SHOWN people, and while those together still hold fewer
    (the total less the groups shown would give their split back), the smallest groups shown with them."""
    hidden = {key: TOO_FEW for key, size in sizes.items() if size < SMALLEST_GROUP_SHOWN}
    hidden_people = sum(sizes[key] for key in hidden)
    for key in sorted((k for k in sizes if k not in hidden), key=lambda k: (sizes[k], k)):
        if not 0 < hidden_people < SMALLEST_GROUP_SHOWN:
            break
        hidden[key] = COMPLEMENT
        hidden_people += sizes[key]
    return hidden


def _regions_hiding_small_countries(
    people: list[_Person], hidden_countries: dict[str, str], sizes: dict[str, int]
) -> dict[str, str]:
    """A region less its countries shown gives its hidden countries' split: the region is hidden while
    those hold fewer than SMALLEST_GROUP_SHOWN people. The total less the regions shown less the countries
    shown in the hidden regions gives those regions' hidden countries' split: regions (or, failing them,
    the total) are hidden until those hold enough people."""
    in_hidden_countries: dict[str, int] = defaultdict(int)
    for person in people:
        if person["country"] in hidden_countries:
            in_hidden_countries[person["region"]] += 1
    hidden = {
        region: TOO_FEW if sizes[region] < SMALLEST_GROUP_SHOWN else COMPLEMENT
        for region, count in in_hidden_countries.items()
        if count < SMALLEST_GROUP_SHOWN or sizes[region] < SMALLEST_GROUP_SHOWN
    }
    behind_hidden = sum(in_hidden_countries[region] for region in hidden)
    candidates = sorted((r for r in in_hidden_countries if r not in hidden), key=lambda r: (sizes[r], r))
    while 0 < behind_hidden < SMALLEST_GROUP_SHOWN:
        if not candidates:
            hidden[TOTAL] = COMPLEMENT
            break
        region = candidates.pop(0)
        hidden[region] = COMPLEMENT
        behind_hidden += in_hidden_countries[region]
    return hidden


def _hide_gender_splits(rows: list[GroupRow], totals: GroupRow, hidden: dict[str, str]) -> None:
    for group in [*rows, totals]:
        if reason := hidden.get(TOTAL if group is totals else group.key):
            _hide_gender(group, reason)


def _hide_gender(group: GroupRow, reason: str) -> None:
    group.by_gender.clear()
    group.gender_hidden = reason


def public_period_problems(start: date | None, end: date | None) -> list[tuple[str, str]]:
    """(field, message) for each end of a period the public may not ask for: only one whole calendar
    year at a time is answered (see the module's docstring)."""
    problems = []
    if start is not None and (start.month, start.day) != (1, 1):
        problems.append(
            ("from", _("must be 1 January: the statistics are shown a whole calendar year at a time"))
        )
    if end is not None and (end.month, end.day) != (12, 31):
        problems.append(
            ("to", _("must be 31 December: the statistics are shown a whole calendar year at a time"))
        )
    elif start is not None and end is not None and start.year != end.year:
        problems.append(("to", _("must be 31 December of the year the period starts in")))
    return problems


def public_period(start: date | None, end: date | None) -> Period:
    """The calendar year asked for (the year of whichever end is given; this year by default)."""
    year = (start or end or date.today()).year
    return Period(date(year, 1, 1), date(year, 12, 31))


def gender_hidden_note(reason: str) -> str:
    """Why a group's gender split is not shown, in the reader's language."""
    if reason == TOO_FEW:
        return _("fewer than %(num)s people: not shown") % {"num": SMALLEST_GROUP_SHOWN}
    return _("hidden, so that a smaller group's cannot be worked out from the total")


# --- A small server-rendered chart (no JavaScript): participants by gender for the largest groups ------

BAR_COLOURS = {"female": "#5e3c99", "male": "#e66101", "other": "#1b7837", v.NOT_STATED: "#999999"}
# A group whose split is hidden is drawn as one pale bar, unlike any gender's colour.
HIDDEN_SPLIT_COLOUR = "#d9d9d9"


def _text_width(text: str, font_size: float = 12) -> float:
    """A generous estimate of how wide ``text`` is drawn (CJK characters are about one em wide, others
    about six tenths of one): enough to keep labels from running into each other or off the chart."""
    return sum(font_size if unicodedata.east_asian_width(c) in "WF" else font_size * 0.62 for c in text)


def _fitted(text: str, room: float) -> str:
    """``text`` cut short with an ellipsis if it would not fit in ``room`` (the full text is in a tooltip
    and in the table beside the chart)."""
    if _text_width(text) <= room:
        return text
    while text and _text_width(text + "…") > room:
        text = text[:-1]
    return text.rstrip() + "…"


def events_chart_svg(
    report: StatisticsReport, *, label: Callable[[str], str], limit: int = 10, direction: str | None = None
) -> str:
    """Stacked horizontal bars of participants by gender for the ``limit`` largest groups, as SVG. Colours
    from a palette that people with the common colour-vision deficiencies tell apart; the same figures are
    in the table beside the chart.

    In a right-to-left language the chart is drawn mirrored (labels on the right, bars growing leftwards)
    and says so in its own ``direction`` rather than inheriting the page's: its positions are fixed, and
    the meaning of text-anchor follows the direction."""
    # Groups with recommendations or concept notes but nobody expected have no bar to draw.
    groups = [row for row in report.rows if row.participants][:limit]
    if not groups:
        return ""
    direction = direction or text_direction()
    rtl = direction == "rtl"
    width, label_width, bar_height, gap = 640, 170, 18, 8
    scale = (width - label_width - 50) / max(r.participants for r in groups)
    any_hidden = any(group.gender_hidden for group in groups)
    # The legend of hidden splits takes a line of its own (the genders' line is full).
    height = len(groups) * (bar_height + gap) + 40 + (18 if any_hidden else 0)

    def at(x: float) -> float:
        """A horizontal position measured from the chart's start side (the right in right-to-left)."""
        return width - x if rtl else x

    title = _("Participants by gender")
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="chart-title" class="chart" direction="{direction}" style="direction: {direction}">'
        f'<title id="chart-title">{escape(title)}</title>'
    ]
    # Every text is isolated and laid out in the chart's direction; text-anchor "end" is then the side
    # towards the bars for the labels in both directions, "start" the side away from a bar's end.
    text = f'direction="{direction}" unicode-bidi="isolate" font-size="12"'
    for index, group in enumerate(groups):
        y = index * (bar_height + gap)
        name = label(group.key)
        parts.append(
            f'<text x="{at(label_width - 6):.1f}" y="{y + 13}" text-anchor="end" {text}>'
            f"<title>{escape(name)}</title>{escape(_fitted(name, label_width - 10))}</text>"
        )
        x = float(label_width)
        for colour, note, count in _bar_segments(group):
            bar = count * scale
            parts.append(
                f'<rect x="{at(x + bar) if rtl else x:.1f}" y="{y}" width="{bar:.1f}" height="{bar_height}" '
                f'fill="{colour}"><title>{escape(note)}</title></rect>'
            )
            x += bar
        parts.append(
            f'<text x="{at(x + 4):.1f}" y="{y + 13}" text-anchor="start" {text}>{group.participants}</text>'
        )
    legend_y = len(groups) * (bar_height + gap) + 14
    x = float(label_width)
    for gender in (*v.GENDERS, v.NOT_STATED):
        name = str(v.category_label(v.GENDER, gender))
        parts.append(
            f'<rect x="{at(x + 12) if rtl else x:.0f}" y="{legend_y}" width="12" height="12" '
            f'fill="{BAR_COLOURS[gender]}"/>'
            f'<text x="{at(x + 16):.0f}" y="{legend_y + 11}" text-anchor="start" {text}>{escape(name)}</text>'
        )
        x += max(110.0, 16 + _text_width(name) + 14)
    if any_hidden:
        name, x, y = _("Gender not shown"), float(label_width), legend_y + 18
        parts.append(
            f'<rect x="{at(x + 12) if rtl else x:.0f}" y="{y}" width="12" height="12" '
            f'fill="{HIDDEN_SPLIT_COLOUR}"/>'
            f'<text x="{at(x + 16):.0f}" y="{y + 11}" text-anchor="start" {text}>{escape(name)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _bar_segments(group: GroupRow) -> list[tuple[str, str, int]]:
    """The pieces of a group's bar: (colour, tooltip, people), one per gender, or a single pale piece
    saying why when the group's split is hidden."""
    if group.gender_hidden:
        note = f"{gender_hidden_note(group.gender_hidden)}: {group.participants}"
        return [(HIDDEN_SPLIT_COLOUR, note, group.participants)]
    return [
        (BAR_COLOURS[gender], f"{v.category_label(v.GENDER, gender)}: {count}", count)
        for gender in (*v.GENDERS, v.NOT_STATED)
        if (count := group.by_gender.get(gender, 0))
    ]
