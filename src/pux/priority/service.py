"""Feeds the priority engine from the database and keeps the facilitator's configuration."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, NoReturn

from sqlalchemy.orm import Session

from pux.accounts import permissions
from pux.accounts.permissions import Actor, VisibilityScope, require
from pux.assistance import repository as assistance_repository
from pux.audit import service as audit
from pux.errors import FieldProblem, NotFound, StaleEdit, ValidationFailed
from pux.i18n import get_language
from pux.i18n import gettext as _
from pux.kept import KeptResults
from pux.priority import engine, repository
from pux.priority.engine import (
    ConfigError,
    CountryInput,
    Observation,
    PriorityConfig,
    PriorityResult,
    RankRange,
)
from pux.priority.models import PriorityConfigVersion
from pux.reference import repository as reference_repository

POPULATION = "SP.POP.TOTL"


@dataclass(frozen=True)
class ConfigInForce:
    config: PriorityConfig
    data: dict[str, Any]  # as saved
    revision: int  # see config_revision


def config_in_force(session: Session) -> ConfigInForce:
    """The configuration in force (the newest saved override, else the shipped default) and its revision,
    read from one row: read apart, a save landing in between gave the form a newer revision than the text
    it showed, and a stale text could then replace the newer one."""
    saved = repository.latest_config(session)
    data = saved.data if saved is not None else engine.default_config_data()
    config = _as_the_catalogue_reads(session, engine.parse_config(data))
    return ConfigInForce(config, data, saved.id if saved is not None else 0)


def active_config(session: Session) -> tuple[PriorityConfig, dict[str, Any]]:
    in_force = config_in_force(session)
    return in_force.config, in_force.data


def _as_the_catalogue_reads(session: Session, config: PriorityConfig) -> PriorityConfig:
    """``config`` with the indicator catalogue's direction for each rule that leaves worse_when out."""
    directions = {i.code: i.worse_when for i in reference_repository.list_indicators(session)}
    return engine.with_directions(config, directions)


def require_may_configure(actor: Actor) -> None:
    require(permissions.can_configure_priority(actor), _("Only facilitators may change the priority index."))


def config_revision(session: Session) -> int:
    """The revision of the configuration in force, which a save names to say what it was made from: the
    number of the newest saved configuration, 0 while the shipped default applies. (The configuration's
    own "version" is the number of its format, not a revision.)"""
    return repository.latest_config_id(session)


def save_config(
    session: Session, *, actor: Actor, data: dict[str, Any], revision: int | None = None
) -> PriorityConfig:
    """Replace the configuration (facilitators); refused with the reason when it cannot be used, each
    unknown key, indicator code, income group, country group and weight out of bounds named by its path
    (nothing is saved). ``revision``: the revision the facilitator read (config_revision); once another
    configuration has been saved since, the save is refused (StaleEdit) and theirs stays in force. None
    replaces whatever is in force, for a caller that read nothing first."""
    require_may_configure(actor)
    config, problems = _checked(session, data)
    if problems:
        raise ValidationFailed(problems)
    replaced = _revision_replaced(session, revision)
    version = PriorityConfigVersion(
        name=config.name, data=data, created_by_id=actor.user_id, made_from=replaced
    )
    if not repository.add_unless_replaced_meanwhile(session, version):
        # Another save from the same revision slipped past the lock (before the first save there is no
        # row to lock) and committed first: the database refused this one, which is as stale as any.
        raise _saved_meanwhile(now=repository.latest_config_id(session), read=replaced)
    audit.record(
        session,
        actor=actor.label,
        action="priority.configure",
        entity_type="priority_config",
        entity_id=str(version.id),
        after=data,
    )
    return _as_the_catalogue_reads(session, config)


def refuse_unread(session: Session, *, actor: Actor, data: dict[str, Any], missing: FieldProblem) -> NoReturn:
    """Refuse a save that names no revision (``missing`` says so, as the API or the form words it), with
    everything else wrong in the configuration: the facilitator is told all of it at once."""
    require_may_configure(actor)
    _config, problems = _checked(session, data)
    raise ValidationFailed([*problems, missing])


def _revision_replaced(session: Session, revision: int | None) -> int:
    """The revision a save replaces, read under the lock: the one in force, which must be ``revision``
    when one is named (else StaleEdit); any when None."""
    current = repository.lock_latest_config_id(session)
    if revision is not None and revision != current:
        raise _saved_meanwhile(now=current, read=revision)
    return current


def _saved_meanwhile(*, now: int, read: int) -> StaleEdit:
    return StaleEdit(
        _(
            "Someone else saved the priority configuration after you read it (it is now at revision "
            "%(now)s, you read revision %(then)s). Nothing was saved: read it again, then save your "
            "changes over theirs."
        )
        % {"now": now, "then": read}
    )


def _checked(session: Session, data: dict[str, Any]) -> tuple[PriorityConfig, list[FieldProblem]]:
    """The configuration ``data`` describes and what is wrong with it: each unknown key, part that cannot be
    read, name PUX does not know and weight out of bounds, by its path. (A configuration that cannot be
    read at all is refused at once.)"""
    unknown = engine.unknown_config_keys(data)
    if unknown:
        raise ValidationFailed(
            [FieldProblem(key, _("PUX does not read this key: is it misspelt?")) for key in unknown]
        )
    try:
        config = engine.parse_config(data)
    except ConfigError as error:
        raise ValidationFailed([FieldProblem("configuration", str(error))]) from error
    catalogue = {indicator.code: indicator for indicator in reference_repository.list_indicators(session)}
    problems = [FieldProblem(path, message) for path, message in engine.unknown_names(config, catalogue)]
    problems += [FieldProblem(path, message) for path, message in engine.weights_out_of_bounds(config)]
    unknown_areas = set(config.areas) - {a.code for a in reference_repository.list_thematic_areas(session)}
    if unknown_areas:
        problems.append(
            FieldProblem(
                "areas", _("unknown thematic area: %(codes)s") % {"codes": ", ".join(sorted(unknown_areas))}
            )
        )
    return config, problems


# The inputs read lately, by what they were read from and for whom (see country_inputs).
_INPUTS: KeptResults[list[CountryInput]] = KeptResults(8)


def _assistance_scope(actor: Actor | None) -> VisibilityScope:
    """The activities whose money the index counts for ``actor``: those the reader may see (the public's
    when no reader is named). A private activity then changes no figure a reader without it sees."""
    return permissions.activity_scope(actor or Actor.public())


def inputs_stamp(session: Session) -> tuple[object, ...]:
    """Moves whenever anything the index reads may have changed (see repository.inputs_stamp)."""
    return repository.inputs_stamp(session)


def country_inputs(
    session: Session, *, on: date | None = None, actor: Actor | None = None
) -> list[CountryInput]:
    """Every country with its latest observations, groups, income group and the current assistance
    ``actor`` may see (the public's by default). Kept per process and reader's scope until the data they
    are read from change: reading them sums every current activity and reads every latest observation (a
    third of a second at 200,000 activities), for every page that shows a standing."""
    scope = _assistance_scope(actor)
    key = (repository.inputs_stamp(session), on or date.today(), get_language(), scope)
    return _INPUTS.get(key, lambda: _read_country_inputs(session, on=on, scope=scope))


# Every area's index lately computed, by what it was computed from (see rankings).
_RANKINGS: KeptResults[list[PriorityResult]] = KeptResults(64)


def rankings(
    session: Session, *, on: date | None = None, actor: Actor | None = None
) -> tuple[PriorityConfig, dict[str, list[PriorityResult]]]:
    """The configuration in force and the index in each of its areas, most pressing first (see
    area_ranking): the gap pages' standings and every brief ask for all areas at once."""
    config, _data = active_config(session)
    return config, {area: area_ranking(session, area=area, on=on, actor=actor) for area in config.areas}


def area_ranking(
    session: Session, *, area: str, on: date | None = None, actor: Actor | None = None
) -> list[PriorityResult]:
    """The index in one area of the configuration in force, from the assistance ``actor`` may see (the
    public's by default). Kept per area and reader's scope like the inputs (the configuration is among
    what their stamp follows), for the gap pages, the briefs and the priority pages, which each computed
    it again after any change to an activity. The stamp is read before the configuration: a configuration
    saved in between is then kept under the older stamp, which no later reading asks for, never the older
    configuration under the newer stamp."""
    scope = _assistance_scope(actor)
    key = (repository.inputs_stamp(session), on or date.today(), get_language(), area, scope)
    return _RANKINGS.get(
        key,
        lambda: engine.compute(country_inputs(session, on=on, actor=actor), active_config(session)[0], area),
    )


def _read_country_inputs(session: Session, *, on: date | None, scope: VisibilityScope) -> list[CountryInput]:
    observations = reference_repository.latest_observations(session)
    assistance, uncounted = _commitments(session, on=on, scope=scope)
    inputs = []
    for country in reference_repository.all_countries(session):
        own = observations.get(country.iso3, {})
        groups = frozenset(
            name
            for flag, name in ((country.is_ldc, "LDC"), (country.is_lldc, "LLDC"), (country.is_sids, "SIDS"))
            if flag
        )
        income = country.income_group
        inputs.append(
            CountryInput(
                iso3=country.iso3,
                name=country.name(),
                income_group=income.income_group if income else None,
                groups=groups,
                observations={code: Observation(*values) for code, values in own.items()},
                population=own[POPULATION][0] if POPULATION in own else None,
                assistance_by_area=assistance.get(country.iso3, {}),
                uncounted_by_area=uncounted.get(country.iso3, {}),
            )
        )
    return inputs


def _commitments(
    session: Session, *, on: date | None, scope: VisibilityScope
) -> tuple[dict[str, dict[str, float]], dict[str, dict[str, dict[str, float]]]]:
    """The current commitments the index counts (US dollars: country -> area -> amount) and those it
    leaves out (country -> area -> currency -> amount), each in its own currency, never converted."""
    counted: dict[str, dict[str, float]] = {}
    uncounted: dict[str, dict[str, dict[str, float]]] = {}
    commitments = assistance_repository.current_commitments_by_currency(session, on or date.today(), scope)
    for (iso3, area, currency), total in commitments.items():
        if currency == engine.ASSISTANCE_CURRENCY:
            counted.setdefault(iso3, {})[area] = total
        elif total:  # an activity stating no amount leaves nothing uncounted to name
            uncounted.setdefault(iso3, {}).setdefault(area, {})[currency] = total
    return counted, uncounted


def _require_area(session: Session, config: PriorityConfig, area: str) -> None:
    """An area the index is configured for, else the same "not found" as any unknown address."""
    known = {a.code for a in reference_repository.list_thematic_areas(session)}
    if area not in known or area not in config.areas:
        raise NotFound(_("The priority index has no thematic area with this code."))


def ranking(session: Session, *, area: str, actor: Actor | None = None) -> list[PriorityResult]:
    """The index for one thematic area, most pressing first, as ``actor`` may see it (see area_ranking)."""
    config, _data = active_config(session)
    _require_area(session, config, area)
    return area_ranking(session, area=area, actor=actor)


def ranking_with_ranges(
    session: Session, *, area: str, actor: Actor | None = None
) -> tuple[list[PriorityResult], dict[str, RankRange]]:
    """The index for one area and each country's rank range, reading the data once (the ranges of
    rank_ranges: the same draws from the same seed)."""
    config, _data = active_config(session)
    _require_area(session, config, area)
    return area_ranking(session, area=area, actor=actor), engine.sensitivity(
        country_inputs(session, actor=actor), config, area
    )


def rank_ranges(session: Session, *, area: str, actor: Actor | None = None) -> dict[str, RankRange]:
    """How far each country's rank moves when the weights move by up to 25% (engine.RANK_RANGE_DRAWS
    random weightings from a fixed seed: the page, the API and the CLI show the same ranges)."""
    config, _data = active_config(session)
    _require_area(session, config, area)
    return engine.sensitivity(country_inputs(session, actor=actor), config, area)


def country_positions(
    session: Session, *, iso3: str, actor: Actor | None = None
) -> list[tuple[PriorityResult, int]]:
    """A country's result in every thematic area, with the number of ranked countries (from the rankings
    kept per area: computing every area again took a country's page a fifth of its time)."""
    _config, by_area = rankings(session, actor=actor)
    positions = []
    for results in by_area.values():
        ranked = sum(1 for r in results if r.rank is not None)
        positions += [(r, ranked) for r in results if r.iso3 == iso3.upper()]
    return positions
