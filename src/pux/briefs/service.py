"""Briefs for decision makers: what a country, a region or a partner looks like in PUX, in the reader's
language, with only what the reader may see, every figure with its source and year.

The figures come from the other packages through their own visibility scopes (needs, activities, programmes,
events), so a brief never shows more than the lists do: the public brief never counts a private need.
Rendered briefs are cached under their data version (see pux.briefs.cache).
"""

from __future__ import annotations

import hashlib
import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from pux.accounts import permissions
from pux.accounts import repository as accounts_repository
from pux.accounts.models import Organisation
from pux.accounts.permissions import Actor, require
from pux.assistance import repository as assistance_repository
from pux.assistance.models import AssistanceActivity
from pux.assistance.repository import ActivityFilter
from pux.briefs import fitting, gap_section, programme_section, repository
from pux.briefs import vocabulary as v
from pux.briefs.cache import BriefKey, SizedLru
from pux.briefs.content import (
    AlternativeLine,
    Brief,
    CountLine,
    EventLine,
    EvidenceLine,
    Figure,
    FlowRest,
    Heading,
    IndicatorLine,
    NeedLine,
    NeedOffers,
    PriorityLine,
    ProgrammeLine,
    ProviderLine,
    Stamp,
    TechniqueLine,
    rest_of,
    sums_by_currency,
    year_span,
)
from pux.briefs.renderer import PdfDocument, PdfRenderer, default_renderer
from pux.dialogues import repository as dialogues_repository
from pux.dialogues import service as dialogues_service
from pux.dialogues.models import DialogueEvent
from pux.dialogues.repository import EventFilter
from pux.dialogues.vocabulary import event_kind_label
from pux.errors import NotFound
from pux.i18n import decimal_text, get_language, listed
from pux.i18n import gettext as _
from pux.knowledge import vocabulary as knowledge_vocabulary
from pux.knowledge.evidence_units import Unit, evidence_unit
from pux.knowledge.models import EvidenceEntry
from pux.knowledge.service import Localiser, comparator_names, technique_slug
from pux.needs import repository as needs_repository
from pux.needs import service as needs_service
from pux.needs import workflow
from pux.needs.models import Need
from pux.needs.repository import NeedFilter
from pux.priority import service as priority_service
from pux.priority.engine import CountryInput, PriorityResult
from pux.programmes import repository as programmes_repository
from pux.programmes.models import Programme
from pux.programmes.repository import ProgrammeFilter
from pux.reference import repository as reference_repository
from pux.reference import service as reference_service
from pux.reference.models import Country, IncomeGroupAssessment, Region, Technique, ThematicArea
from pux.reference.vocabulary import (
    income_basis_label,
    income_group_label,
    indicator_role_label,
    modality_label,
    organisation_type_label,
    programme_status_label,
    unit_label,
)

# --- Data version and audience --------------------------------------------------------------------------


@dataclass(frozen=True)
class DataVersion:
    """The state of the data a brief is made from: equal versions, equal figures."""

    code: str
    latest_audit_id: int | None
    data_as_of: object  # datetime | None (kept loose: printed as it is)


def data_version(session: Session, *, actor: Actor) -> DataVersion:
    """A short code for the current state of everything a reader's briefs read (moves on any write to what
    they may see of it)."""
    parts, latest_audit_id, newest = repository.data_fingerprint(
        session, needs=permissions.need_scope(actor), programmes=permissions.programme_scope(actor)
    )
    # Not the latest audit record: any write anywhere moves it (the parts follow every audited kind a brief
    # reads by its own latest record); it is printed as how far the trail had gone when the brief was made.
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:12]
    return DataVersion(code=digest, latest_audit_id=latest_audit_id, data_as_of=newest)


def audience(session: Session, *, actor: Actor) -> str:
    """The visibility class a brief is made for: readers of one class see exactly the same brief.

    "all" for facilitators, "public" or "partners" for readers who see only shared records, with a suffix
    naming their own countries, organisations and events when they see more of those than others do."""
    if actor.is_global:
        return "all"
    needs = permissions.need_scope(actor)
    activities = permissions.activity_scope(actor)
    programmes = permissions.programme_scope(actor)
    events = dialogues_service.event_scope(session, actor)
    level = permissions.PARTNERS if permissions.PARTNERS in needs.visibilities else permissions.PUBLIC
    own = (
        sorted(needs.countries | activities.countries),
        sorted(activities.organisations | programmes.organisations),
        sorted(events.event_ids),
    )
    if not any(own):
        return level
    return f"{level}-{hashlib.sha256(repr(own).encode()).hexdigest()[:10]}"


def _stamp(session: Session, actor: Actor, today: date) -> Stamp:
    version = data_version(session, actor=actor)
    return Stamp(
        made_on=today,
        data_version=version.code,
        latest_audit_id=version.latest_audit_id,
        data_as_of=version.data_as_of,  # type: ignore[arg-type]
        audience=audience(session, actor=actor),
    )


# --- Shared pieces ---------------------------------------------------------------------------------------


def _money(amount: Decimal | float | None) -> float | None:
    return None if amount is None else float(amount)


def _areas(session: Session) -> dict[str, ThematicArea]:
    return {area.code: area for area in reference_repository.list_thematic_areas(session)}


def _area_names(areas: dict[str, ThematicArea]) -> dict[str, str]:
    return {code: area.name() for code, area in areas.items()}


def _techniques(session: Session) -> dict[str, Technique]:
    return {technique.code: technique for technique in reference_repository.list_techniques(session)}


@dataclass(frozen=True)
class IndexTable:
    """The priority index in every area, computed once per brief from one read of the indicators."""

    config_name: str
    inputs: dict[str, CountryInput]
    results: dict[str, list[PriorityResult]]  # by area, most pressing first

    def ranked(self, area: str) -> int:
        return sum(1 for result in self.results[area] if result.rank is not None)

    def of(self, iso3: str) -> list[tuple[str, PriorityResult]]:
        return [
            (area, result)
            for area, results in self.results.items()
            for result in results
            if result.iso3 == iso3
        ]


def _index_table(session: Session, stamp: Stamp) -> IndexTable:
    """The index of every country in every area, on the brief's day: the same for every brief until the
    index's inputs change, whoever reads it (names are taken from the reference tables, not from here),
    so the priority service keeps it for them all (and for the gap pages): it is most of a brief's work."""
    config, results = priority_service.rankings(session, on=stamp.made_on)
    inputs = priority_service.country_inputs(session, on=stamp.made_on)
    return IndexTable(config.name, {country.iso3: country for country in inputs}, results)


def _priority_line(
    brief: Brief, table: IndexTable, area: str, result: PriorityResult, areas: dict[str, ThematicArea]
) -> PriorityLine:
    source = brief.cite(v.priority_source(table.config_name))
    years = [
        part.observation.year for c in result.components for part in c.parts if part.observation is not None
    ]
    year = year_span(years, brief.stamp.made_on.year)
    components = tuple(
        (
            _component_label(component.name),
            Figure(
                None if component.pressing is None else round(component.pressing * 100),
                "/100",
                source,
                year,
            ),
        )
        for component in result.components
    )
    return PriorityLine(
        area_code=area,
        area_name=areas[area].name() if area in areas else area,
        score=Figure(result.score, "/100", source, year),
        rank=result.rank,
        ranked_countries=table.ranked(area),
        components=components,
        completeness_percent=round(result.completeness * 100),
    )


def _component_label(name: str) -> str:
    labels = {
        "burden": _("Burden"),
        "capacity": _("Lack of capacity"),
        "assistance": _("Little assistance so far"),
        "groups": _("LDC, LLDC or SIDS"),
    }
    return labels.get(name, name)


def _need_line(brief: Brief, need: Need, areas: dict[str, ThematicArea], ranks: dict[int, int]) -> NeedLine:
    area = areas.get(need.thematic_area_code)
    return NeedLine(
        need_id=need.id,
        reference=need.reference,
        title=need.title,
        country_name=need.country.name(),
        area_name=area.name() if area else need.thematic_area_code,
        status=need.status,
        status_label=workflow.status_label(need.status),
        national_rank=ranks.get(need.id),  # as the reader may be told it (needs.service.shown_ranks)
        cost=Figure(
            _money(need.estimated_cost),
            need.currency,
            brief.cite(v.needs_source()),
            str(need.updated_at.year),
        ),
        technique_names=tuple(t.name() for t in need.techniques),
    )


def _active(needs: Iterable[Need]) -> list[Need]:
    """The needs a brief lists: not withdrawn, the nationally ranked first, then the furthest along."""
    progress = {status: index for index, status in enumerate(workflow.STATUSES)}
    kept = [need for need in needs if need.status != workflow.WITHDRAWN]
    return sorted(
        kept,
        key=lambda need: (
            need.national_rank is None,
            need.national_rank or 0,
            -progress.get(need.status, 0),
            need.id,
        ),
    )


def _need_counts(brief: Brief, needs: Sequence[Need]) -> list[CountLine]:
    counts: dict[str, int] = defaultdict(int)
    for need in needs:
        counts[need.status] += 1
    source = brief.cite(v.needs_source())
    year = str(brief.stamp.made_on.year)
    return [
        CountLine(workflow.status_label(status), Figure(counts[status], "", source, year))
        for status in workflow.STATUSES
        if counts.get(status)
    ]


def _assistance_totals(brief: Brief, current: Sequence[AssistanceActivity], today: date) -> list[Figure]:
    """What the current activities committed, one total per currency, cited with their years. The same
    money once: an implementer's report of funds its funder's activity (listed too) already counts is not
    added again (the rule of assistance_repository.counted_once, among the activities the brief lists)."""
    year = year_span([a.start_date.year if a.start_date else None for a in current], today.year)
    listed = {a.id for a in current}
    committed = ((a.amount_committed, a.currency) for a in current if a.counted_in_activity_id not in listed)
    return list(sums_by_currency(committed, brief.cite(v.assistance_source()), year))


def _flow_lines(
    brief: Brief,
    activities: Sequence[AssistanceActivity],
    group: Callable[[AssistanceActivity], str],
    areas: dict[str, ThematicArea],
) -> list[ProviderLine]:
    """Activities summed by provider (or by recipient country), the largest first: count, committed and
    disbursed amounts. In
    one line the same money once: an implementer's report of funds its funder's activity in the same line
    already counts is not added again (a country's line showed 400,000 for one 200,000 commitment)."""
    source = brief.cite(v.assistance_source())
    grouped: dict[str, list[AssistanceActivity]] = defaultdict(list)
    for activity in activities:
        grouped[group(activity)].append(activity)
    lines = []
    for name, members in grouped.items():
        year = year_span(
            [a.start_date.year if a.start_date else None for a in members]
            + [a.end_date.year if a.end_date else None for a in members],
            brief.stamp.made_on.year,
        )
        area_codes = sorted({a.thematic_area_code for a in members if a.thematic_area_code})
        in_line = {a.id for a in members}
        paying = [a for a in members if a.counted_in_activity_id not in in_line]
        lines.append(
            ProviderLine(
                name=name,
                activities=Figure(len(members), "", source, year),
                committed=sums_by_currency(((a.amount_committed, a.currency) for a in paying), source, year),
                disbursed=sums_by_currency(((a.amount_disbursed, a.currency) for a in paying), source, year),
                area_names=tuple(areas[code].name() if code in areas else code for code in area_codes),
            )
        )
    lines.sort(key=lambda line: (-sum(f.value or 0.0 for f in line.committed if f.unit == "USD"), line.name))
    return lines


def _shown_and_rest(lines: list[ProviderLine], limit: int) -> tuple[list[ProviderLine], FlowRest | None]:
    """The first ``limit`` lines and the rest summed in one row: a table cut short without saying so
    added up to less than the total above it (Moldova's six providers, 90,000 USD short)."""
    return lines[:limit], rest_of(lines[limit:])


def _unit_with_currency(unit: str, currency: str | None) -> str:
    """The unit, with the currency before it unless the unit names it already ("USD million per year" was
    written "USD USD million per year")."""
    if not currency or currency in unit.split():
        return unit
    return f"{currency} {unit}".strip()


def _income_fact(income: IncomeGroupAssessment) -> str:
    """The income group with how it was set, in the reader's language, as the country page writes it. A
    group PUX derived names the figure it came from (the World Bank's GNI per capita, and its year), so its
    English note is not repeated; an official or administrator's group cites its source as recorded."""
    how = income_basis_label(income.basis)
    if income.gni_per_capita_usd is not None:
        how += ": " + _("GNI per capita %(value)s US$ in %(year)s") % {
            "value": decimal_text(income.gni_per_capita_usd, "#,##0"),
            "year": income.gni_year,
        }
    fact = f"{income_group_label(income.income_group)}, FY{income.fiscal_year} ({how})"
    if income.basis == "derived" or not income.source:
        return fact
    return f"{fact}. " + _("Source: {source}.").format(source=income.source)


def _evidence_line(entry: EvidenceEntry, localiser: Localiser, comparator: str) -> EvidenceLine:
    claim = localiser.text(entry.id, "claim", entry.claim, entry.source_language)
    citation = ", ".join(
        part
        for part in (entry.citation_title, entry.citation_publisher, str(entry.citation_year or ""))
        if part
    )
    year = year_span([entry.citation_year, entry.period_end], entry.citation_year or 0)
    unit = _evidence_figure_unit(entry)
    figure = None if entry.value is None else Figure(entry.value, unit.text, citation, year)
    return EvidenceLine(
        entry_id=entry.id,
        claim=str(claim) if claim is not None else "",
        claim_language=claim.language if claim is not None else entry.source_language,
        figure=figure,
        figure_language=unit.language,
        value_high=entry.value_high,
        status_label=knowledge_vocabulary.evidence_status_label(entry.status),
        method_label=_method_label(entry.study_method),
        citation=citation,
        comparator=comparator,
    )


def _evidence_figure_unit(entry: EvidenceEntry) -> Unit:
    """An evidence figure's unit in the reader's language where PUX knows it (an English unit in a Chinese
    or Arabic brief read "tonnes per hectare"), with its currency unless the unit as written names it."""
    unit = evidence_unit(entry.unit, entry.source_language)
    currency = None if entry.currency in entry.unit.split() else entry.currency
    return replace(unit, text=_unit_with_currency(unit.text, currency))


def _method_label(study_method: str | None) -> str:
    # A decision maker weighs a trial's figure above an expert's estimate: the brief says which it is.
    if study_method is None:
        return _("method not stated")
    return _("method: {method}").format(method=knowledge_vocabulary.study_method_label(study_method))


def _technique_lines(
    session: Session,
    brief: Brief,
    wanted: list[tuple[str, int]],
    country_iso3: str | None,
    areas: dict[str, ThematicArea],
) -> list[TechniqueLine]:
    """The techniques with their plain summary, the conventional alternatives the knowledge base compares
    each with, and their strongest evidence (see _strongest_evidence), each figure with what it is
    measured against."""
    techniques = _techniques(session)
    codes = [code for code, _count in wanted]
    profiles = repository.technique_summaries(session, codes)
    summaries = Localiser(session, knowledge_vocabulary.TECHNIQUE, [p[0] for p in profiles.values()])
    alternatives = _alternative_lines(session, codes)
    chosen = _strongest_evidence(repository.evidence_for_techniques(session, codes), country_iso3)
    claims = Localiser(session, knowledge_vocabulary.EVIDENCE, [e.id for es in chosen.values() for e in es])
    comparators = comparator_names(session, [e for es in chosen.values() for e in es])
    source = brief.cite(v.needs_source())
    lines = []
    for code, count in wanted:
        technique = techniques.get(code)
        if technique is None:
            continue
        evidence = tuple(
            _evidence_line(entry, claims, comparators.get(entry.id, "")) for entry in chosen.get(code, [])
        )
        for line in evidence:
            if line.figure is not None:
                brief.cite(line.citation)
        profile = profiles.get(code)
        summary = summaries.text(profile[0], "summary", profile[2] or None, profile[3]) if profile else None
        area = areas.get(technique.thematic_area_code)
        lines.append(
            TechniqueLine(
                code=code,
                name=technique.name(),
                slug=profile[1] if profile else technique_slug(code),
                area_name=area.name() if area else technique.thematic_area_code,
                summary=_first_sentences(str(summary)) if summary is not None else None,
                needs=Figure(count, "", source, str(brief.stamp.made_on.year)),
                evidence=evidence,
                alternatives=alternatives.get(code, ()),
            )
        )
    return lines


def _strongest_evidence(
    entries: Iterable[EvidenceEntry], country_iso3: str | None
) -> dict[str, list[EvidenceEntry]]:
    """Each technique's entries a brief shows: those about this country first, then those that state a
    figure (a claim without one cannot show the advantage), then checked ones and the newest; a disputed
    entry is still shown, with its status."""
    status_order = {knowledge_vocabulary.CHECKED: 0, knowledge_vocabulary.REPORTED: 1}
    by_technique: dict[str, list[EvidenceEntry]] = defaultdict(list)
    for entry in entries:
        by_technique[entry.technique_code].append(entry)
    return {
        code: sorted(
            found,
            key=lambda e: (
                e.country_iso3 != country_iso3,
                e.value is None,
                status_order.get(e.status, 2),
                -(e.citation_year or 0),
            ),
        )[: v.MAX_EVIDENCE_PER_TECHNIQUE]
        for code, found in by_technique.items()
    }


def _alternative_lines(session: Session, codes: Sequence[str]) -> dict[str, tuple[AlternativeLine, ...]]:
    """The conventional alternatives of each technique as the knowledge base names them, in the reader's
    language where it holds a translation (else as written, with the language it is written in)."""
    found = repository.technique_alternatives(session, codes)
    names = Localiser(
        session, knowledge_vocabulary.ALTERNATIVE, [a[0] for alts in found.values() for a in alts]
    )
    lines: dict[str, tuple[AlternativeLine, ...]] = {}
    for code, alternatives in found.items():
        shown = []
        for alternative_id, name, language, relation in alternatives:
            local = names.text(alternative_id, "name", name, language)
            assert local is not None  # a name is never None
            shown.append(AlternativeLine(local.text, local.language, v.alternative_relation_label(relation)))
        lines[code] = tuple(shown)
    return lines


def _first_sentences(text: str, limit: int = v.SUMMARY_CHARACTERS) -> str:
    """The opening of a summary, cut after a whole sentence where one ends in time (a brief is skimmed; the
    technique's page has the rest)."""
    if len(text) <= limit:
        return text
    cut = max(text.rfind(mark, 0, limit) for mark in (". ", "。", "؟ ", "! "))
    return text[: cut + 1] if cut > limit // 3 else text[:limit].rstrip() + "…"


def _wanted_techniques(
    needs: Sequence[Need], fallback_area: str | None, session: Session
) -> list[tuple[str, int]]:
    """Techniques asked for by the needs, the most asked for first (ties: the better ranked need first);
    when the needs name fewer than the brief shows, the techniques of the most pressing area follow."""
    counts: dict[str, int] = defaultdict(int)
    best_rank: dict[str, int] = {}
    for need in needs:
        for code in need.technique_codes:
            counts[code] += 1
            rank = need.national_rank or 10_000
            best_rank[code] = min(best_rank.get(code, rank), rank)
    wanted = sorted(counts.items(), key=lambda item: (-item[1], best_rank[item[0]], item[0]))
    if len(wanted) < v.MAX_TECHNIQUES and fallback_area:
        for technique in reference_repository.list_techniques(session):
            if technique.thematic_area_code == fallback_area and technique.code not in counts:
                wanted.append((technique.code, 0))
    return wanted[: v.MAX_TECHNIQUES]


def _event_lines(events: Iterable[DialogueEvent]) -> list[EventLine]:
    lines = []
    for event in events:
        host = event.host_country.name() if event.host_country else None
        place = _("Online") if event.is_online else listed(part for part in (event.city, host) if part)
        lines.append(
            EventLine(
                event_id=event.id,
                title=event.title,
                kind_label=event_kind_label(event.kind),
                starts_on=event.starts_at.date(),
                ends_on=event.ends_at.date(),
                place=place or "—",
            )
        )
    return lines


def _upcoming_events(session: Session, actor: Actor, countries: frozenset[str]) -> list[EventLine]:
    """Upcoming events the reader may see that are held in, or focus on, one of the countries."""
    scope = dialogues_service.event_scope(session, actor)
    events = dialogues_repository.all_events(
        session, scope, EventFilter(when="upcoming"), dialogues_service.utc_clock()
    )
    concerned = [
        event
        for event in events
        if not event.is_cancelled
        and (event.host_country_iso3 in countries or countries & set(event.focus_country_codes))
    ]
    # By the instant each begins: local times of events in different zones do not say which comes first.
    concerned.sort(key=lambda event: (event.starts_at_utc, event.id))
    return _event_lines(concerned[: v.MAX_EVENTS])


def _group_names(country: Country) -> str:
    groups = [
        label
        for flag, label in (
            (country.is_ldc, _("Least developed country")),
            (country.is_lldc, _("Landlocked developing country")),
            (country.is_sids, _("Small island developing State")),
        )
        if flag
    ]
    return "; ".join(groups) or _("None")


# --- Country brief ---------------------------------------------------------------------------------------


def country_brief(
    session: Session, *, actor: Actor, iso3: str, today: date | None = None, stamp: Stamp | None = None
) -> Brief:
    """Where a country stands, its needs, the assistance it receives, the gaps, the techniques that fit its
    priorities with their evidence, and the dialogue events ahead, as the reader may see them."""
    require(permissions.can_read_brief(actor), _("You may not read this brief."))
    country = reference_repository.get_country(session, iso3)
    if country is None:
        raise NotFound(_("No country or area has the code %(code)s.") % {"code": iso3})
    stamp = stamp or _stamp(session, actor, today or date.today())
    today = stamp.made_on
    areas = _areas(session)
    income = country.income_group
    region_path = " › ".join(
        region.name() for region in (country.region, country.subregion, country.intermediate_region) if region
    )
    facts = [
        (_("Region"), region_path or "—"),
        (_("UN development groups"), _group_names(country)),
        (_("Income group"), _income_fact(income) if income else _("No income group recorded")),
    ]
    brief = Brief(
        heading=Heading(v.COUNTRY, country.iso3, country.name(), v.kind_label(v.COUNTRY), tuple(facts)),
        stamp=stamp,
    )
    table = _index_table(session, stamp)
    own_results = table.of(country.iso3)
    brief.priority = [_priority_line(brief, table, area, result, areas) for area, result in own_results]
    # The closest grouping M49 has: Eastern Africa rather than Sub-Saharan Africa, when there is one.
    peer_region = country.intermediate_region or country.subregion or country.region
    brief.region_name = peer_region.name() if peer_region else ""
    peers = _peer_codes(session, peer_region, country.iso3)
    scored = sorted((r for _area, r in own_results if r.score is not None), key=lambda r: -(r.score or 0.0))
    pressing = frozenset(r.area for r in scored[: v.MAX_INDICATOR_AREAS]) or None
    brief.indicators = _indicator_lines(session, brief, table, country.iso3, peers, pressing)

    needs = needs_repository.all_visible(
        session, permissions.need_scope(actor), NeedFilter(country_iso3=country.iso3)
    )
    brief.need_counts = _need_counts(brief, needs)
    active_needs = _active(needs)
    brief.needs_total = len(active_needs)
    listed_needs = active_needs[: v.MAX_NEEDS]
    ranks = needs_service.shown_ranks(session, actor=actor, needs=listed_needs)
    brief.needs = [_need_line(brief, need, areas, ranks) for need in listed_needs]

    current = assistance_repository.all_visible(
        session,
        permissions.activity_scope(actor),
        ActivityFilter(country_iso3=country.iso3, current_on=today),
    )
    brief.providers, brief.providers_rest = _shown_and_rest(
        _flow_lines(brief, current, lambda a: a.provider.name, areas), v.MAX_PROVIDERS
    )
    brief.assistance_total = _assistance_totals(brief, current, today)
    brief.gaps = gap_section.for_country(
        session,
        actor=actor,
        iso3=country.iso3,
        cite=brief.cite,
        area_names=_area_names(areas),
        country_names={country.iso3: country.name()},
    )
    brief.need_offers = _need_offers(session, brief, actor, active_needs, areas)

    wanted = _wanted_techniques(active_needs, _most_pressing_area(own_results), session)
    brief.techniques = _technique_lines(session, brief, wanted, country.iso3, areas)
    brief.events = _upcoming_events(session, actor, frozenset({country.iso3}))
    if brief.events:
        brief.cite(v.events_source())
    return brief


def _most_pressing_area(own_results: Sequence[tuple[str, PriorityResult]]) -> str | None:
    """The area the brief names the country's most pressing: the highest score among the areas whose burden
    is known. A score without its burden comes mostly from the group flags and the assistance (Tuvalu's
    safety and security, burden missing, led its areas on its SIDS and LDC points)."""
    known = [
        (area, result) for area, result in own_results if result.score is not None and _burden_known(result)
    ]
    return max(known, key=lambda item: item[1].score or 0.0, default=(None, None))[0]


def _burden_known(result: PriorityResult) -> bool:
    return all(c.pressing is not None for c in result.components if c.name == "burden" and c.weight > 0)


def _need_offers(
    session: Session, brief: Brief, actor: Actor, active_needs: Sequence[Need], areas: dict[str, ThematicArea]
) -> list[NeedOffers]:
    """The open programmes that could take up the country's first unmet needs (see programme_section)."""
    waiting = programme_section.waiting(active_needs)
    ranks = needs_service.shown_ranks(session, actor=actor, needs=waiting)
    return programme_section.for_needs(
        session,
        actor=actor,
        needs=waiting,
        need_line=lambda need: _need_line(brief, need, areas, ranks),
        remaining=lambda programme: _remaining_figure(brief, programme),
        cite=brief.cite,
        year=str(brief.stamp.made_on.year),
    )


def _peer_codes(session: Session, region: Region | None, iso3: str) -> list[str]:
    if region is None:
        return []
    return [c.iso3 for c in repository.countries_in_region(session, region.m49) if c.iso3 != iso3]


def _indicator_lines(
    session: Session,
    brief: Brief,
    table: IndexTable,
    iso3: str,
    peers: Sequence[str],
    areas: frozenset[str] | None,
) -> list[IndicatorLine]:
    """The indicators of the country's most pressing areas (``areas``; None: every area) and the context
    ones, beside the median of its region's countries that report each (with how many do); a value the
    sources lack is missing, in either column."""
    profile = reference_service.country_profile(session, iso3=iso3)
    assert profile is not None
    lines = []
    for role, readings in profile.readings.items():
        for reading in readings:
            indicator = reading.indicator
            if areas is not None and indicator.thematic_area_code not in (None, *areas):
                continue
            unit = unit_label(indicator.unit)
            latest = reading.latest
            own = Figure(
                latest.value if latest else None,
                unit,
                brief.cite(latest.source.citation) if latest else "",
                str(latest.year) if latest else "",
            )
            peer_values = [
                observation
                for code in peers
                if code in table.inputs
                and (observation := table.inputs[code].observations.get(indicator.code)) is not None
            ]
            citations = sorted({observation.source for observation in peer_values})
            regional = Figure(
                statistics.median(o.value for o in peer_values) if peer_values else None,
                unit,
                brief.cite(v.regional_source("; ".join(citations))) if peer_values else "",
                year_span([o.year for o in peer_values], 0) if peer_values else "",
            )
            lines.append(
                IndicatorLine(
                    indicator.code,
                    indicator.name(),
                    indicator_role_label(role),
                    own,
                    regional,
                    Figure(len(peer_values), "", regional.source, regional.year),
                )
            )
    return lines


# --- Regional brief --------------------------------------------------------------------------------------


def region_brief(
    session: Session, *, actor: Actor, m49: str, today: date | None = None, stamp: Stamp | None = None
) -> Brief:
    """A region's countries most in need by area, its needs and their status, who assists it, the gaps and
    the dialogue events ahead, as the reader may see them."""
    require(permissions.can_read_brief(actor), _("You may not read this brief."))
    region = repository.get_region(session, m49)
    if region is None:
        raise NotFound(_("No region has the M49 code %(code)s.") % {"code": m49})
    stamp = stamp or _stamp(session, actor, today or date.today())
    today = stamp.made_on
    areas = _areas(session)
    members = repository.countries_in_region(session, region.m49)
    codes = frozenset(country.iso3 for country in members)
    names = {country.iso3: country.name() for country in members}
    facts = [
        (_("Countries and areas"), str(len(members))),
        (
            _("Least developed countries"),
            listed(sorted(c.name() for c in members if c.is_ldc)) or _("None"),
        ),
        (
            _("Small island developing States"),
            listed(sorted(c.name() for c in members if c.is_sids)) or _("None"),
        ),
    ]
    brief = Brief(
        heading=Heading(v.REGION, region.m49, region.name(), v.kind_label(v.REGION), tuple(facts)),
        stamp=stamp,
    )
    brief.region_name = region.name()
    table = _index_table(session, stamp)
    for area, results in table.results.items():
        in_region = [r for r in results if r.iso3 in codes and r.rank is not None][:3]
        brief.countries += [_named_priority_line(brief, table, area, r, areas, names) for r in in_region]

    needs = needs_repository.all_visible(
        session, permissions.need_scope(actor), NeedFilter(region_m49=region.m49)
    )
    brief.need_counts = _need_counts(brief, needs)
    active_needs = _active(needs)
    brief.needs_total = len(active_needs)
    listed_needs = active_needs[: v.MAX_NEEDS]
    ranks = needs_service.shown_ranks(session, actor=actor, needs=listed_needs)
    brief.needs = [_need_line(brief, need, areas, ranks) for need in listed_needs]

    # A region without member countries has no activities (an empty country list would mean any country).
    current = (
        assistance_repository.all_visible(
            session,
            permissions.activity_scope(actor),
            ActivityFilter(country_iso3_in=tuple(sorted(codes)), current_on=today),
        )
        if codes
        else []
    )
    brief.providers, brief.providers_rest = _shown_and_rest(
        _flow_lines(brief, current, lambda a: a.provider.name, areas), v.MAX_PROVIDERS
    )
    brief.recipients, brief.recipients_rest = _shown_and_rest(
        _flow_lines(brief, current, lambda a: a.recipient_country.name(), areas), v.MAX_COUNTRIES
    )
    brief.assistance_total = _assistance_totals(brief, current, today)
    brief.gaps = gap_section.for_countries(
        session,
        actor=actor,
        countries=codes,
        areas=None,
        cite=brief.cite,
        area_names=_area_names(areas),
        country_names=names,
        with_map=True,
    )
    brief.techniques = _technique_lines(
        session, brief, _wanted_techniques(active_needs, None, session), None, areas
    )
    brief.events = _upcoming_events(session, actor, codes)
    if brief.events:
        brief.cite(v.events_source())
    return brief


def _named_priority_line(
    brief: Brief,
    table: IndexTable,
    area: str,
    result: PriorityResult,
    areas: dict[str, ThematicArea],
    names: dict[str, str],
) -> PriorityLine:
    line = _priority_line(brief, table, area, result, areas)
    # In a regional brief the line names its country; the area stays available for grouping.
    return PriorityLine(
        area_code=line.area_code,
        area_name=f"{line.area_name}: {names.get(result.iso3, result.iso3)}",
        score=line.score,
        rank=line.rank,
        ranked_countries=line.ranked_countries,
        components=line.components,
        completeness_percent=line.completeness_percent,
    )


# --- Partner brief ---------------------------------------------------------------------------------------


def organisation_brief(
    session: Session,
    *,
    actor: Actor,
    organisation_id: int,
    today: date | None = None,
    stamp: Stamp | None = None,
) -> Brief:
    """What an organisation funds and where, as the reader may see it, and the published needs in its areas
    that no one funds yet (the gaps it could fill)."""
    require(permissions.can_read_brief(actor), _("You may not read this brief."))
    organisation = accounts_repository.get_organisation(session, organisation_id)
    if organisation is None:
        raise NotFound(_("No organisation has this number."))
    stamp = stamp or _stamp(session, actor, today or date.today())
    today = stamp.made_on
    areas = _areas(session)
    facts = [(_("Type"), organisation_type_label(organisation.organisation_type))]
    if organisation.country_iso3:
        home = reference_repository.get_country(session, organisation.country_iso3)
        facts.append((_("Country"), home.name() if home else organisation.country_iso3))
    brief = Brief(
        heading=Heading(
            v.ORGANISATION,
            str(organisation.id),
            _organisation_title(organisation),
            v.kind_label(v.ORGANISATION),
            tuple(facts),
        ),
        stamp=stamp,
    )
    programmes = programmes_repository.all_visible(
        session, permissions.programme_scope(actor), ProgrammeFilter(organisation_ids=(organisation.id,))
    )
    brief.programmes = [_programme_line(brief, programme) for programme in programmes]
    its_activities = ActivityFilter(provider_organisation_ids=(organisation.id,))
    current = assistance_repository.all_visible(
        session, permissions.activity_scope(actor), replace(its_activities, current_on=today)
    )
    brief.recipients, brief.recipients_rest = _shown_and_rest(
        _flow_lines(brief, current, lambda a: a.recipient_country.name(), areas), v.MAX_COUNTRIES
    )
    brief.assistance_total = _assistance_totals(brief, current, today)
    its_areas = assistance_repository.thematic_area_codes(
        session, permissions.activity_scope(actor), its_activities
    ) | {area.code for programme in programmes for area in programme.thematic_areas}
    brief.fitting_needs = _fitting_needs(session, brief, actor, its_areas, areas, today)
    brief.gaps = gap_section.for_countries(
        session,
        actor=actor,
        countries=None,
        areas=frozenset(its_areas),
        cite=brief.cite,
        area_names=_area_names(areas),
        country_names={c.iso3: c.name() for c in reference_repository.all_countries(session)},
    )
    return brief


def _organisation_title(organisation: Organisation) -> str:
    return f"{organisation.name} ({organisation.acronym})" if organisation.acronym else organisation.name


def _programme_year(programme: Programme) -> str:
    """The years a programme's figures describe: its window, or the year it was last changed."""
    return year_span(
        [
            programme.window_start.year if programme.window_start else None,
            programme.window_end.year if programme.window_end else None,
        ],
        programme.updated_at.year,
    )


def _remaining_figure(brief: Brief, programme: Programme) -> Figure:
    """What a programme has left, cited as every brief cites it."""
    return Figure(
        _money(programme.remaining_budget),
        programme.currency,
        brief.cite(v.programmes_source()),
        _programme_year(programme),
    )


def _programme_line(brief: Brief, programme: Programme) -> ProgrammeLine:
    source = brief.cite(v.programmes_source())
    year = _programme_year(programme)
    return ProgrammeLine(
        programme_id=programme.id,
        title=programme.title,
        modality_label=modality_label(programme.modality),
        status_label=programme_status_label(programme.status),
        area_names=tuple(area.name() for area in programme.thematic_areas),
        budget=Figure(_money(programme.total_budget), programme.currency, source, year),
        remaining=_remaining_figure(brief, programme),
    )


def _fitting_needs(
    session: Session,
    brief: Brief,
    actor: Actor,
    its_areas: set[str],
    areas: dict[str, ThematicArea],
    today: date,
) -> list[NeedLine]:
    """Published needs (not yet matched or funded) in the organisation's areas, the countries most in need in
    that area first (priority index), then by national rank."""
    if not its_areas:
        return []
    table = _index_table(session, brief.stamp)
    score = {
        (area, result.iso3): result.score or 0.0
        for area, results in table.results.items()
        for result in results
    }
    # Every fitting need's place is read and sorted, the few shown are read whole: a partner funding in a
    # broad area has thousands of fitting needs at the mission's scale (read whole, 1 s of a 1.6 s brief).
    places = [
        place
        for area in sorted(its_areas)
        for place in needs_repository.places_visible(
            session,
            permissions.need_scope(actor),
            NeedFilter(thematic_area_code=area, status=workflow.PUBLISHED),
        )
    ]
    places.sort(
        key=lambda place: (
            -score.get((place.thematic_area_code, place.country_iso3), 0.0),
            place.national_rank or 10_000,
            place.id,
        )
    )
    shown = [place.id for place in places[: v.MAX_FITTING_NEEDS]]
    needs = needs_repository.by_ids(session, shown)
    ranks = needs_service.shown_ranks(session, actor=actor, needs=needs.values())
    return [_need_line(brief, needs[need_id], areas, ranks) for need_id in shown if need_id in needs]


# --- Which briefs exist -----------------------------------------------------------------------------------


def recipient_countries(session: Session) -> list[str]:
    """Codes of the countries with needs or assistance recorded (those a batch run makes briefs for)."""
    return repository.countries_with_needs_or_assistance(session)


def brief_for(
    session: Session,
    *,
    actor: Actor,
    kind: str,
    key: str,
    today: date | None = None,
    stamp: Stamp | None = None,
) -> Brief:
    """Any kind of brief by its kind and key (ISO3 code, M49 code or organisation number)."""
    if kind == v.COUNTRY:
        return country_brief(session, actor=actor, iso3=key, today=today, stamp=stamp)
    if kind == v.REGION:
        return region_brief(session, actor=actor, m49=key, today=today, stamp=stamp)
    if kind == v.ORGANISATION and key.isdigit():
        return organisation_brief(session, actor=actor, organisation_id=int(key), today=today, stamp=stamp)
    if kind == v.ORGANISATION:
        raise NotFound(_("No organisation has this number."))
    raise NotFound(_("PUX makes no brief of this kind."))


# --- Cached briefs and their PDF -------------------------------------------------------------------------

_CACHE: SizedLru[Brief | RenderedPdf] = SizedLru()
# A brief's content is some tens of kilobytes of text; counting it at this size keeps the bound meaningful
# without measuring every object.
CONTENT_SIZE = 64 * 1024


@dataclass(frozen=True)
class RenderedPdf:
    content: bytes
    pages: int
    title: str
    stamp: Stamp
    from_cache: bool = False


def _normal_key(kind: str, key: str) -> str:
    return key.strip().upper() if kind == v.COUNTRY else key.strip()


def _cache_key(kind: str, key: str, stamp: Stamp, form: str) -> BriefKey:
    return BriefKey(
        kind,
        _normal_key(kind, key),
        get_language(),
        stamp.audience,
        stamp.data_version,
        stamp.made_on.isoformat(),
        form,
    )


def cached_brief(
    session: Session,
    *,
    actor: Actor,
    kind: str,
    key: str,
    today: date | None = None,
    stamp: Stamp | None = None,
) -> Brief:
    """A brief as ``brief_for`` makes it, from the cache when the same reader class asked for it in the same
    language since the data last changed."""
    stamp = stamp or _stamp(session, actor, today or date.today())
    cache_key = _cache_key(kind, key, stamp, "content")
    found = _CACHE.get(cache_key)
    if isinstance(found, Brief):
        return found
    brief = brief_for(session, actor=actor, kind=kind, key=key, stamp=stamp)
    _CACHE.put(cache_key, brief, CONTENT_SIZE)
    return brief


def pdf_brief(
    session: Session,
    *,
    actor: Actor,
    kind: str,
    key: str,
    printable: Callable[[Brief], str],
    renderer: PdfRenderer | None = None,
    today: date | None = None,
) -> RenderedPdf:
    """A brief as PDF (``printable`` turns it into a complete HTML document), from the cache when it is
    still current for this reader class and language."""
    stamp = _stamp(session, actor, today or date.today())
    cache_key = _cache_key(kind, key, stamp, "pdf")
    found = _CACHE.get(cache_key)
    if isinstance(found, RenderedPdf):
        return replace(found, from_cache=True)
    brief = cached_brief(session, actor=actor, kind=kind, key=key, stamp=stamp)
    document = _within_budget(brief, printable, renderer or default_renderer())
    rendered = RenderedPdf(document.content, document.pages, brief.heading.title, stamp)
    _CACHE.put(cache_key, rendered, len(document.content))
    return rendered


def _within_budget(brief: Brief, printable: Callable[[Brief], str], renderer: PdfRenderer) -> PdfDocument:
    """The brief rendered, its longest lists shortened until it keeps to its page budget (a regional brief
    in Russian ran to five pages). The cut is guessed from how far the first render ran past the budget,
    along the quarter steps of ``fitting.shortened`` (``fitting.chosen_step``), not rendered once a step
    (Uganda's brief was rendered four times, 3 s; in Russian eleven)."""
    first = _rendered(brief, printable, renderer)
    if first.pages <= fitting.MAX_PAGES:
        return first
    steps = fitting.quarter_steps(brief)
    # The steps that may still be chosen, laid out and not yet written (the chosen one is written once): the
    # least cut that fits so far, and the last step (printed when none fits). A layout holds every box of
    # the document: the others are let go at once.
    candidates: dict[int, PdfDocument] = {}

    def measure(step: int) -> fitting.Measured:
        document = _rendered(steps[step], printable, renderer)
        measured = _measured(step, steps[step], document)
        if measured.fits:
            for cut_more in [kept for kept in candidates if kept > step and kept != len(steps) - 1]:
                del candidates[cut_more]
        if measured.fits or step == len(steps) - 1:
            candidates[step] = document
        return measured

    step_lines = [fitting.lines(step) for step in steps]
    return candidates[fitting.chosen_step(step_lines, _measured(0, brief, first), measure)]


def _rendered(brief: Brief, printable: Callable[[Brief], str], renderer: PdfRenderer) -> PdfDocument:
    return renderer.render(printable(brief), title=brief.heading.title, language=get_language())


def _measured(step: int, brief: Brief, document: PdfDocument) -> fitting.Measured:
    return fitting.Measured(step, fitting.lines(brief), document.pages, document.length)


def forget_rendered_briefs() -> None:
    """Empty the cache (tests and benchmarks that time rendering from scratch)."""
    _CACHE.clear()
