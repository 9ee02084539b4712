"""The ``pux`` command line. Each command parses its input, calls one service and prints the result."""

from __future__ import annotations

import getpass
import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from pux import migrate
from pux.config import get_settings
from pux.db import make_engine, make_session_factory, refresh_statistics, unit_of_work
from pux.i18n import LANGUAGES, language_context
from pux.reference import service as reference
from pux.reference.repository import CountryFilter
from pux.reference.service import ImportRefused
from pux.reference.vocabulary import income_group_label, indicator_role_label

app = typer.Typer(help="PUX - Peaceful Uses Exchange", no_args_is_help=True)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
countries_app = typer.Typer(help="Countries and areas.", no_args_is_help=True)
reference_app = typer.Typer(help="Reference data.", no_args_is_help=True)
indicators_app = typer.Typer(help="Country indicators.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(countries_app, name="countries")
app.add_typer(reference_app, name="reference")
app.add_typer(indicators_app, name="indicators")
priority_app = typer.Typer(help="Priority index.", no_args_is_help=True)
matching_app = typer.Typer(help="Matching and allocation rounds.", no_args_is_help=True)
app.add_typer(priority_app, name="priority")
app.add_typer(matching_app, name="matching")
sdg_app = typer.Typer(help="SDG tagging (offline).", no_args_is_help=True)
users_app = typer.Typer(help="Accounts.", no_args_is_help=True)
app.add_typer(users_app, name="users")
app.add_typer(sdg_app, name="sdg")
console = Console()

LanguageOption = Annotated[str, typer.Option("--lang", help=f"Language of names: {', '.join(LANGUAGES)}")]


def _cli_actor() -> str:
    return f"cli:{getpass.getuser()}"


@contextmanager
def _sessions() -> Iterator[Session]:
    """One unit of work for a command: committed on success, and the engine's connections closed after."""
    engine = make_engine(get_settings().database_url)
    try:
        _require_current_schema(engine)
        with unit_of_work(make_session_factory(engine)) as session:
            yield session
    finally:
        engine.dispose()


LOG_LEVELS = ("debug", "info", "warning", "error")


def _log_level(given: str | None) -> str:
    """The option's level, else the setting's (PUX_LOG_LEVEL: the option's default overwrote it), else
    info."""
    return (given or get_settings().log_level or "info").lower()


@app.callback()
def _settings_first() -> None:
    """Every command reads the settings first: a wrong one is said in a line, not a 76-line traceback."""
    from pydantic import ValidationError

    try:
        get_settings()
    except ValidationError as wrong:
        for problem in wrong.errors():
            message = str(problem["msg"]).removeprefix("Value error, ")
            if problem["loc"]:  # a check of one setting; those of several name theirs in the message
                message = "PUX_" + "_".join(str(part) for part in problem["loc"]).upper() + ": " + message
            console.print(f"[red]Wrong setting: {message}[/red]", soft_wrap=True)
        raise typer.Exit(2) from None


def _require_current_schema(engine: Engine) -> None:
    """Stop with what to do when the database was never set up or is behind the code (not a traceback)."""
    ready, reason = migrate.readiness(engine)
    if ready:
        return
    if reason == "database unreachable":
        console.print(f"[red]The database cannot be reached ({engine.url.render_as_string()}).[/red]")
    else:
        console.print(
            "[red]The database is not set up, or its schema is older than this version of PUX: "
            "run 'pux init' first (it creates or upgrades it and loads the reference data).[/red]"
        )
    raise typer.Exit(1)


def _read_utf8(file: Path) -> str:
    """The text of a file to import, or a refusal saying why it cannot be read (never a traceback). PUX
    reads CSV files as UTF-8, which a spreadsheet's "CSV UTF-8" writes; one saved in a Windows code page
    would otherwise have its accented letters read wrong."""
    try:
        content = file.read_bytes()
    except OSError as unreadable:
        console.print(f"[red]Refused: {escape(str(file))} cannot be read ({unreadable.strerror}).[/red]")
        raise typer.Exit(code=1) from unreadable
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as wrong:
        # The decoder's bytes are the file's without its byte-order mark, so the lines count the same.
        line = wrong.object[: wrong.start].count(b"\n") + 1
        console.print(
            f"[red]Refused: nothing was imported. {escape(file.name)} is not UTF-8 text: byte "
            f"0x{wrong.object[wrong.start]:02X} on line {line} is not UTF-8 (the file was probably saved "
            "in a Windows or Latin-1 encoding). Save it as 'CSV UTF-8' and import it again.[/red]",
            soft_wrap=True,
        )
        raise typer.Exit(code=1) from wrong


def _refuse(error: ImportRefused) -> None:
    console.print(f"[red]Refused: nothing was imported. {len(error.problems)} problem(s):[/red]")
    for problem in error.problems:
        console.print(f"  {problem}")
    raise typer.Exit(code=1)


@db_app.command("upgrade")
def db_upgrade(revision: str = "head") -> None:
    """Apply the database migrations up to REVISION."""
    migrate.upgrade(get_settings().database_url, revision)
    console.print(f"Database at {revision}.")


@app.command("init")
def init() -> None:
    """Create or upgrade the database and load the reference data (safe to run again)."""
    settings = get_settings()
    migrate.upgrade(settings.database_url)
    if not settings.secret_key:
        settings.session_secret()  # this installation's own random key, made once (owner-only file)
        console.print(f"Session key: {settings.secret_key_file} (kept private; do not share it)")
    with _sessions() as session:
        written = reference.load_reference_data(session, actor=_cli_actor())
        counts = reference.reference_counts(session)
        knowledge = _load_knowledge(session)
    console.print("Reference data loaded (rows written this run / rows in the database):")
    for name, count in counts.items():
        console.print(f"  {name}: {written.get(name, '-')} / {count}")
    console.print(
        f"Knowledge: {knowledge.techniques} techniques, {knowledge.evidence_created} new evidence entries "
        f"({knowledge.evidence_updated} updated, {knowledge.evidence_checked} marked checked), "
        f"{knowledge.myths} myths, {knowledge.translations} translations written."
    )
    for problem in knowledge.problems:
        console.print(f"  [red]{problem}[/red]")


def _refresh_statistics() -> None:
    """After a bulk load: the planner's statistics of every table (ANALYZE)."""
    engine = make_engine(get_settings().database_url)
    try:
        refresh_statistics(engine)
    finally:
        engine.dispose()


@app.command("demo")
def demo() -> None:
    """Load the illustrative demo data set (fixed seed; skipped when already loaded) and print sign-ins."""
    from pux.demo import load_demo

    with _sessions() as session:
        summary, credentials = load_demo(session)
    if not summary.already_loaded:
        _refresh_statistics()
    if summary.already_loaded:
        console.print("Demo data already loaded.")
    else:
        console.print(
            f"Demo data loaded: {summary.organisations} organisations, {summary.users} people, "
            f"{summary.needs} needs, {summary.programmes} programmes, {summary.activities} activities, "
            f"{summary.events} dialogue events ({summary.event_participants} participants, "
            f"{summary.actions} follow-up actions)."
        )
    table = Table("Role", "Email", "Password", title="Demo sign-ins (illustrative accounts)")
    for role, email, password in credentials:
        table.add_row(role, email, password)
    console.print(table)


# How long a new app process may take to load before uvicorn's supervisor gives up on it.
WORKER_STARTUP_SECONDS = 120
# An idle keep-alive connection is closed after this long: longer than the 60 s a reverse proxy (or a
# client) commonly keeps one, so that the proxy closes it first. With uvicorn's 5 s, a request sent on a
# connection the server was closing at that moment failed (bench/load.py met 1-4 such failures a run).
KEEP_ALIVE_SECONDS = 65


@app.command("serve")
def serve(
    host: str = "127.0.0.1",
    port: int = 8000,
    workers: Annotated[
        int, typer.Option(min=1, max=64, help="App processes (all state is in the database)")
    ] = 1,
    proxy_headers: Annotated[
        bool, typer.Option(help="Trust X-Forwarded-For/-Proto from --forwarded-allow-ips (behind a proxy)")
    ] = False,
    forwarded_allow_ips: Annotated[
        str, typer.Option(help="Proxies trusted for forwarded headers")
    ] = "127.0.0.1",
    log_level: Annotated[
        str | None, typer.Option(help="debug, info, warning or error (default: PUX_LOG_LEVEL, else info)")
    ] = None,
    warm_up: Annotated[
        bool,
        typer.Option(envvar="PUX_WARM_UP", help="Read what requests share before taking the first request"),
    ] = True,
) -> None:
    """Serve the web platform; logs one JSON line per request on standard error."""
    import uvicorn

    from pux import logs

    log_level = _log_level(log_level)
    if log_level not in LOG_LEVELS:
        raise typer.BadParameter("--log-level must be debug, info, warning or error")
    # Every app process (one per worker) configures its JSON log lines from the environment.
    os.environ["PUX_LOG_LEVEL"] = log_level
    os.environ["PUX_WARM_UP"] = "1" if warm_up else "0"
    get_settings.cache_clear()
    logs.configure(log_level)  # this process too: it supervises the workers and says so
    from pux.web.server import NoDelayHttpToolsProtocol

    uvicorn.run(
        "pux.web.app:create_app",
        factory=True,
        http=NoDelayHttpToolsProtocol,
        host=host,
        port=port,
        workers=workers,
        proxy_headers=proxy_headers,
        forwarded_allow_ips=forwarded_allow_ips if proxy_headers else None,
        log_config=None,  # keep the JSON lines configured above (in every worker process too)
        access_log=False,  # pux.request logs each request with its id, user and duration
        # A worker loads the SDG model and templates before it answers the supervisor's first check; on
        # a busy machine that takes longer than uvicorn's 5 s, which killed and restarted it forever.
        timeout_worker_healthcheck=WORKER_STARTUP_SECONDS,
        timeout_keep_alive=KEEP_ALIVE_SECONDS,
        server_header=False,  # "server: uvicorn" told every visitor what answers them
    )


@users_app.command("create-admin")
def create_admin(
    email: str,
    full_name: Annotated[str, typer.Option("--name", help="The person's full name")] = "Administrator",
) -> None:
    """Create an administrator account (the first one on a new installation); asks for the password."""
    from pux.accounts import service as accounts
    from pux.accounts.permissions import ADMIN, Actor, Grant
    from pux.errors import ValidationFailed

    password = typer.prompt("Password (at least 12 characters)", hide_input=True, confirmation_prompt=True)
    if len(password) < 12:
        console.print("[red]The password must have at least 12 characters. Nothing was created.[/red]")
        raise typer.Exit(code=1)
    try:
        with _sessions() as session:
            user = accounts.create_user(
                session,
                actor=Actor.system(_cli_actor()),
                email=email,
                full_name=full_name,
                password=password,
                grants=[Grant(ADMIN)],
            )
            created = user.email
    except ValidationFailed as refused:
        console.print(f"[red]Refused: {refused}[/red]")
        raise typer.Exit(code=1) from refused
    console.print(f"Administrator {created} created. Sign in at /sign-in.")


@users_app.command("reset-password")
def reset_password(email: str) -> None:
    """Print a one-time password reset link for a person who forgot their password (PUX sends no
    e-mail: pass the link on). It works for 72 hours; using it signs the person out everywhere and
    revokes their API tokens."""
    from pux.accounts import service as accounts
    from pux.accounts.permissions import Actor
    from pux.errors import NotFound

    settings = get_settings()
    try:
        with _sessions() as session:
            person = _person_by_email(session, email)
            _user, token = accounts.make_password_reset(
                session, actor=Actor.system(_cli_actor()), user_id=person.id, secret=settings.session_secret()
            )
            name = person.full_name
    except NotFound as refused:
        console.print(f"[red]Refused: {refused} Nothing was made.[/red]")
        raise typer.Exit(code=1) from refused
    hours = int(accounts.PASSWORD_RESET_LIFETIME.total_seconds() // 3600)
    console.print(
        f"Pass this link on to {name}; it works once, for {hours} hours. Using it signs them out "
        "everywhere and revokes their API tokens (they make new ones):"
    )
    # Printed plainly (no wrapping or markup), so that it can be copied whole.
    print(f"{settings.base_url.rstrip('/')}/password-reset/{token}")


@users_app.command("deactivate")
def deactivate_user(email: str) -> None:
    """Deactivate an account (someone who left): signed out, no sign-in, no API token; roles and records
    stay. `pux users reactivate EMAIL` gives it back."""
    _set_account_active(email, active=False)


@users_app.command("reactivate")
def reactivate_user(email: str) -> None:
    """Make a deactivated account active again."""
    _set_account_active(email, active=True)


def _set_account_active(email: str, *, active: bool) -> None:
    from pux.accounts import service as accounts
    from pux.accounts.permissions import Actor
    from pux.errors import DomainError

    try:
        with _sessions() as session:
            person = _person_by_email(session, email)
            accounts.set_account_active(
                session, actor=Actor.system(_cli_actor()), user_id=person.id, active=active
            )
            address = person.email
    except DomainError as refused:
        console.print(f"[red]Refused: {refused} Nothing was changed.[/red]")
        raise typer.Exit(code=1) from refused
    console.print(f"{address} is {'active' if active else 'deactivated'}.")


def _person_by_email(session: Any, email: str) -> Any:
    """The account with this email address, or NotFound (the users commands refuse in one line)."""
    from pux.accounts import repository as accounts_repository
    from pux.errors import NotFound

    person = accounts_repository.get_user_by_email(session, email)
    if person is None:
        raise NotFound("No account has this email address.")
    return person


@countries_app.command("list")
def countries_list(
    region: Annotated[str | None, typer.Option(help="M49 code or name of a region or sub-region")] = None,
    ldc: Annotated[bool | None, typer.Option("--ldc/--not-ldc", help="Least developed countries")] = None,
    lldc: Annotated[
        bool | None, typer.Option("--lldc/--not-lldc", help="Landlocked developing countries")
    ] = None,
    sids: Annotated[
        bool | None, typer.Option("--sids/--not-sids", help="Small island developing States")
    ] = None,
    income_group: Annotated[str | None, typer.Option(help="LIC, LMC, UMC or HIC")] = None,
    lang: LanguageOption = "en",
) -> None:
    """List countries and areas, filtered."""
    with language_context(lang), _sessions() as session:
        region_code = None
        if region:
            found = reference.find_region(session, code_or_name=region)
            if found is None:
                console.print(
                    f"[red]No region, sub-region or intermediate region is called {region!r}.[/red]"
                )
                raise typer.Exit(code=2)
            region_code = found.m49
        filters = CountryFilter(
            region_m49=region_code,
            ldc=ldc,
            lldc=lldc,
            sids=sids,
            income_group=income_group.upper() if income_group else None,
        )
        countries = reference.list_countries(session, filters=filters)
        latest_income = reference.latest_income_groups(session)
        table = Table("ISO3", "Name", "Sub-region", "LDC", "LLDC", "SIDS", "Income group")
        for country in countries:
            income = latest_income.get(country.iso3)
            table.add_row(
                country.iso3,
                country.name(),
                country.subregion.name() if country.subregion else "-",
                "x" if country.is_ldc else "",
                "x" if country.is_lldc else "",
                "x" if country.is_sids else "",
                f"{income_group_label(income.income_group)} (FY{income.fiscal_year})"
                if income
                else "no data",
            )
        console.print(table)
        console.print(f"{len(countries)} countries and areas")


@countries_app.command("show")
def countries_show(iso3: str, lang: LanguageOption = "en") -> None:
    """Show one country: codes, region, groups, income group and indicators with year and source."""
    with language_context(lang), _sessions() as session:
        profile = reference.country_profile(session, iso3=iso3)
        if profile is None:
            console.print(f"[red]No country or area has the code {iso3!r}.[/red]")
            raise typer.Exit(code=2)
        country = profile.country
        console.print(f"[bold]{country.name()}[/bold]  ISO {country.iso3}/{country.iso2}  M49 {country.m49}")
        regions = [r.name() for r in (country.region, country.subregion, country.intermediate_region) if r]
        console.print("Region: " + (" > ".join(regions) or "-"))
        groups = [
            name
            for flag, name in ((country.is_ldc, "LDC"), (country.is_lldc, "LLDC"), (country.is_sids, "SIDS"))
            if flag
        ]
        console.print("UN groups: " + (", ".join(groups) or "none"))
        if country.ldc_graduated_on:
            console.print(f"Graduated from LDC status on {country.ldc_graduated_on.isoformat()}")
        for assessment in country.income_groups:
            console.print(
                f"Income group FY{assessment.fiscal_year}: {income_group_label(assessment.income_group)}"
                f" ({assessment.basis}; {assessment.source})"
            )
        for role, readings in profile.readings.items():
            table = Table("Indicator", "Value", "Unit", "Year", "Source", title=indicator_role_label(role))
            for reading in readings:
                latest = reading.latest
                table.add_row(
                    f"{reading.indicator.name()} ({reading.indicator.code})",
                    f"{latest.value:,.6g}" if latest else "missing",
                    reading.indicator.unit,
                    str(latest.year) if latest else "-",
                    latest.source.citation if latest else "-",
                )
            console.print(table)


@reference_app.command("import-sdg")
def reference_import_sdg(file: Path) -> None:
    """Load the official SDG goal, target and indicator texts from the UNSD framework CSV."""
    try:
        with _sessions() as session:
            counts = reference.import_official_sdg_texts(
                session, content=_read_utf8(file), actor=_cli_actor()
            )
    except ImportRefused as refused:
        _refuse(refused)
    console.print(
        f"Official texts loaded: {counts['goal']} goals, {counts['target']} targets, "
        f"{counts['indicator']} indicators."
    )


@reference_app.command("counts")
def reference_counts() -> None:
    """Row counts of the reference tables."""
    with _sessions() as session:
        for name, count in reference.reference_counts(session).items():
            console.print(f"{name}: {count}")


@indicators_app.command("import")
def indicators_import(
    file: Path,
    source: Annotated[str, typer.Option(help="Code of the data source, e.g. globocan-2022")],
    citation: Annotated[str | None, typer.Option(help="Citation, required when the source is new")] = None,
    indicator: Annotated[
        str | None, typer.Option(help="Indicator code, when the file has no such column")
    ] = None,
    role: Annotated[str, typer.Option(help="For a new indicator: burden, capacity or context")] = "context",
    unit: Annotated[str | None, typer.Option(help="For a new indicator: its unit")] = None,
    area: Annotated[str | None, typer.Option(help="For a new indicator: its thematic area code")] = None,
) -> None:
    """Import a World Bank CSV (long or wide). A bad file is refused whole, naming each bad row and field."""
    try:
        with _sessions() as session:
            report = reference.import_indicator_file(
                session,
                content=_read_utf8(file),
                filename=file.name,
                source_code=source,
                source_citation=citation,
                actor=_cli_actor(),
                indicator_code=indicator,
                role=role,
                unit=unit,
                thematic_area_code=area,
            )
    except ImportRefused as refused:
        _refuse(refused)
    console.print(
        f"Imported {file.name} ({report.file_format} format, {', '.join(report.indicators)}): "
        f"{report.inserted} new, {report.updated} updated, {report.unchanged} unchanged; "
        f"{report.skipped_aggregates} aggregate rows skipped; "
        f"{report.missing_values} empty cells left missing."
    )


@priority_app.command("show")
def priority_show(
    area: Annotated[
        str, typer.Option(help="Thematic area code: health, food, water, energy, industry, safety")
    ],
    top: int = 30,
    sensitivity: Annotated[
        bool, typer.Option(help="Also show each rank's range when weights move by 25%")
    ] = True,
    lang: LanguageOption = "en",
) -> None:
    """Rank recipient countries for one thematic area, with the components of each score."""
    from pux.priority import service as priority

    with language_context(lang), _sessions() as session:
        results = priority.ranking(session, area=area)
        ranges = priority.rank_ranges(session, area=area) if sensitivity else {}
    table = Table(
        "Rank",
        "Country",
        "Score",
        "Burden",
        "Lack of capacity",
        "Little assistance",
        "Groups",
        "Completeness",
        "Rank range",
        title=f"Priority index: {area}",
    )
    for result in results[:top]:
        parts = {c.name: c.pressing for c in result.components}
        span = ranges.get(result.iso3)
        table.add_row(
            str(result.rank or "-"),
            f"{result.name} ({result.iso3})",
            f"{result.score:.1f}" if result.score is not None else "no score",
            *(
                f"{parts[name]:.2f}" if parts.get(name) is not None else "missing"
                for name in ("burden", "capacity", "assistance", "groups")
            ),
            f"{result.completeness:.0%}",
            f"{span.best}-{span.worst}" if span else "-",
        )
    console.print(table)
    console.print(
        f"{sum(1 for r in results if r.rank)} countries ranked; missing indicators are left out and "
        "lower the completeness figure."
    )


@matching_app.command("round")
def matching_round(
    cap: Annotated[float, typer.Option(help="Cap on one country's share of the round, in %")] = 25.0,
    ldc_floor: Annotated[float | None, typer.Option(help="Floor for least developed countries, in %")] = None,
    title: str = "Allocation round (command line)",
    queue: Annotated[
        bool, typer.Option("--queue", help="Queue it as a job (run by the app or `pux worker`) and return")
    ] = False,
) -> None:
    """Run an allocation round over all published programmes and store its proposals."""
    from pux.accounts.permissions import Actor
    from pux.errors import ValidationFailed
    from pux.jobs.kinds import ALLOCATION_ROUND, round_params
    from pux.matching import service as matching
    from pux.matching.allocation import RoundRules

    cap_share, ldc_floor_share = cap / 100, ldc_floor / 100 if ldc_floor else None
    if queue:
        _queue_job(
            ALLOCATION_ROUND,
            round_params(title=title, country_cap_share=cap_share, ldc_floor_share=ldc_floor_share),
        )
        return
    rules = RoundRules(country_cap_share=cap_share, ldc_floor_share=ldc_floor_share)
    with _sessions() as session:
        try:
            record = matching.run_round(session, actor=Actor.system(_cli_actor()), title=title, rules=rules)
        except ValidationFailed as refused:
            console.print(f"[red]No round was stored: {refused}[/red]")
            raise typer.Exit(code=1) from refused
        summary = dict(record.summary)
        ratio = record.objective / record.greedy_objective if record.greedy_objective else float("nan")
        console.print(
            f"Round {record.id}: {summary['awards']} proposals over {summary['pairs']} eligible pairs"
        )
        console.print(f"method: {record.method}")
        console.print(f"objective: {record.objective:.4f}  proven gap: {record.gap:.4%}")
        console.print(f"greedy objective: {record.greedy_objective:.4f}  optimal_vs_greedy: {ratio:.3f}")
        for currency, money in sorted(summary.get("currencies", {}).items()):
            console.print(f"allocated: {money['allocated']:,.0f} of {money['budget']:,.0f} {currency}")
        console.print(f"binding constraints: {len(record.binding)}")


def _queue_job(kind: str, params: dict[str, Any]) -> None:
    from pux.accounts.permissions import Actor
    from pux.jobs import queue as job_queue
    from pux.jobs import service as jobs

    settings = get_settings()
    engine = make_engine(settings.database_url)
    _require_current_schema(engine)
    factory = make_session_factory(engine)
    _start, stop = job_queue.install(factory, settings, runs_jobs=False)
    try:
        with unit_of_work(factory, write=True) as session:
            job = jobs.enqueue(
                session, actor=Actor.system(_cli_actor()), kind=kind, params=params, language="en"
            )
        console.print(f"Job {job.id} queued: `pux jobs list` shows how it goes.")
    finally:
        stop()
        engine.dispose()


jobs_app = typer.Typer(
    help="Long work done in the background, and the workers that do it.", no_args_is_help=True
)
app.add_typer(jobs_app, name="jobs")


@app.command("worker")
def worker_command(
    concurrency: Annotated[int, typer.Option(min=1, max=32, help="Jobs run at once by this worker")] = 1,
    log_level: Annotated[
        str | None, typer.Option(help="debug, info, warning or error (default: PUX_LOG_LEVEL, else info)")
    ] = None,
) -> None:
    """Run queued jobs until stopped (SIGTERM or Ctrl-C: the jobs under way end first). On PostgreSQL it
    takes them from procrastinate's queue; on SQLite from the job table."""
    from pux import logs
    from pux.jobs.worker import run_worker

    log_level = _log_level(log_level)
    if log_level not in LOG_LEVELS:
        raise typer.BadParameter("--log-level must be debug, info, warning or error")
    logs.configure(log_level)
    engine = make_engine(get_settings().database_url)
    try:
        _require_current_schema(engine)  # a worker on a database never set up would fail on every poll
    finally:
        engine.dispose()
    run_worker(get_settings(), concurrency=concurrency)


@jobs_app.command("list")
def jobs_list(limit: Annotated[int, typer.Option(min=1, max=1000)] = 20) -> None:
    """The newest jobs: what, status, attempts, the last error."""
    from rich.table import Table

    from pux.accounts.permissions import Actor
    from pux.jobs import service as jobs
    from pux.pagination import PageRequest

    with _sessions() as session:
        page = jobs.list_jobs(session, actor=Actor.system(_cli_actor()), page=PageRequest(1, limit))
        table = Table("id", "kind", "status", "attempts", "asked for", "result or error")
        for job in page.items:
            outcome = job.error if job.status != "done" else json.dumps(job.result)
            table.add_row(
                str(job.id),
                job.kind,
                job.status,
                f"{job.attempts}/{job.max_attempts}",
                job.created_at.strftime("%Y-%m-%d %H:%M:%S"),
                (outcome or "")[:120],
            )
    console.print(table)


@sdg_app.command("tag")
def sdg_tag(
    text: str, lang: Annotated[str | None, typer.Option("--lang", help="Language of the text")] = None
) -> None:
    """Suggest the SDG goals (and targets) a text addresses, with the evidence for each."""
    from pux.sdg_tagging.engine import get_tagger

    suggestions = get_tagger().suggest(text, lang)
    if not suggestions:
        console.print("No SDG goal suggested.")
    for suggestion in suggestions:
        targets = ", ".join(suggestion.targets) or "-"
        console.print(f"SDG {suggestion.goal}  confidence {suggestion.confidence:.2f}  targets {targets}")
        for evidence in suggestion.evidence:
            console.print(f"    evidence: {evidence}")


@sdg_app.command("eval")
def sdg_eval(file: Path) -> None:
    """Score the tagger on an id,text,sdg,label CSV: per-goal figures, then the average accuracy."""
    from pux.sdg_tagging.engine import evaluate_file
    from pux.sdg_tagging.evaluation import EvaluationFileError, format_report

    try:
        report = evaluate_file(file)
    except (EvaluationFileError, OSError) as error:
        console.print(f"[red]{error}[/red]")
        raise typer.Exit(code=2) from error
    for line in format_report(report):
        typer.echo(line)


# --- Dialogue events ------------------------------------------------------------------------------

events_app = typer.Typer(
    help="Dialogue events, their balance, travel fund and follow-up.", no_args_is_help=True
)
app.add_typer(events_app, name="events")


def _share(value: float | None) -> str:
    return f"{value:.0%}" if value is not None else "-"


@events_app.command("list")
def events_list(
    when: Annotated[
        bool | None, typer.Option("--upcoming/--past", help="Only upcoming, or only past, events")
    ] = None,
    lang: LanguageOption = "en",
) -> None:
    """List dialogue events (upcoming: soonest first; otherwise most recent first)."""
    from pux.accounts.permissions import Actor
    from pux.dialogues import service as dialogues
    from pux.dialogues.repository import EventFilter
    from pux.dialogues.vocabulary import event_kind_label
    from pux.pagination import MAX_PAGE_SIZE, PageRequest

    filters = EventFilter(when=None if when is None else ("upcoming" if when else "past"))
    actor = Actor.system(_cli_actor())
    table = Table("ID", "Starts", "Kind", "Title", "Where", "Access", title="Dialogue events")
    with language_context(lang), _sessions() as session:
        number, total = 1, 0
        while True:
            page = dialogues.list_events(
                session, actor=actor, filters=filters, page=PageRequest(number=number, size=MAX_PAGE_SIZE)
            )
            total = page.total
            for event in page.items:
                where = ", ".join(
                    part
                    for part in (
                        event.city,
                        event.host_country.name() if event.host_country else None,
                        "online" if event.is_online else None,
                    )
                    if part
                )
                table.add_row(
                    str(event.id),
                    f"{event.starts_at:%Y-%m-%d %H:%M} {event.time_zone}",
                    event_kind_label(event.kind),
                    event.title + (" (cancelled)" if event.is_cancelled else ""),
                    where or "-",
                    "public" if event.is_public else "closed",
                )
            if page.request.number >= page.pages:
                break
            number += 1
    console.print(table)
    console.print(f"{total} events")


@events_app.command("show")
def events_show(event_id: int, lang: LanguageOption = "en") -> None:
    """Show an event: its details, agenda, targets and the balance meter (missed targets marked)."""
    from pux.accounts.permissions import Actor
    from pux.dialogues import balance
    from pux.dialogues import service as dialogues
    from pux.dialogues import vocabulary as v
    from pux.errors import NotFound
    from pux.reference.vocabulary import ORGANISATION_TYPES, organisation_type_label

    actor = Actor.system(_cli_actor())
    with language_context(lang), _sessions() as session:
        try:
            event = dialogues.get_event(session, actor=actor, event_id=event_id)
        except NotFound as missing:
            console.print(f"[red]{missing}[/red]")
            raise typer.Exit(code=2) from missing
        report = dialogues.event_balance(session, actor=actor, event_id=event.id)
        regions = {region.m49: region.name() for region in reference.list_regions(session)}

        def label(dimension: str, code: str) -> str:
            if dimension == v.REGION and code in regions:
                return regions[code]
            if dimension == v.STAKEHOLDER_TYPE and code in ORGANISATION_TYPES:
                return organisation_type_label(code)
            return v.category_label(dimension, code)

        console.print(f"[bold]{event.title}[/bold]  ({v.event_kind_label(event.kind)}, event {event.id})")
        console.print(
            f"When: {event.starts_at:%Y-%m-%d %H:%M} to {event.ends_at:%Y-%m-%d %H:%M} {event.time_zone}"
            + ("  CANCELLED" if event.is_cancelled else "")
        )
        where = [event.city or "", event.host_country.name() if event.host_country else ""]
        console.print(
            "Where: " + (", ".join(p for p in where if p) or "-") + (" (online)" if event.is_online else "")
        )
        console.print(
            f"Access: {'public' if event.is_public else 'closed'}; languages: "
            f"{', '.join(event.working_languages) or '-'}; capacity: {event.capacity or 'not limited'}"
        )
        if event.travel_budget is not None:
            console.print(f"Travel budget: {event.travel_budget:,.2f} {event.budget_currency}")
        agenda = Table("Starts", "Ends", "Title", "Speakers", "Language", title="Agenda")
        for item in event.sessions:
            agenda.add_row(
                f"{item.starts_at:%Y-%m-%d %H:%M}",
                f"{item.ends_at:%H:%M}",
                item.title,
                item.speakers or "-",
                item.language or "-",
            )
        console.print(agenda if event.sessions else "Agenda: no items yet.")
        targets = Table("Target", "Now", "Status", "People needed", title="Balance targets")
        for check in report.checks:
            target = check.target
            sign = ">=" if target.bound == v.AT_LEAST else "<="
            missed = check.status == balance.MISSED
            targets.add_row(
                f"{v.dimension_label(target.dimension)}: "
                f"{label(target.dimension, target.category)} {sign} {target.share:.0%}",
                f"{_share(check.share)} ({label(target.dimension, check.category)})",
                "[red]MISSED[/red]" if missed else check.status.replace("_", " "),
                str(check.people_needed) if missed and check.people_needed is not None else "-",
            )
        console.print(targets if report.checks else "Balance targets: none set.")
        console.print(f"Balance meter: {report.total} people expected")
        for shares in report.dimensions:
            rows = ", ".join(
                f"{label(shares.dimension, row.category)} {row.count} ({_share(row.share)})"
                for row in shares.rows
            )
            console.print(f"  {v.dimension_label(shares.dimension)}: {rows or '-'}")
        if report.missed:
            console.print(f"[red]{len(report.missed)} target(s) missed.[/red]")


@events_app.command("allocate")
def events_allocate(
    event_id: int,
    email: Annotated[str, typer.Option("--as", help="Email of the facilitator who runs the fund")],
) -> None:
    """Run the travel fund of an event as a facilitator's account and print every decision with its reason."""
    import math

    from pux.accounts import service as accounts
    from pux.accounts.permissions import Actor
    from pux.dialogues import service as dialogues
    from pux.errors import DomainError

    wanted = email.strip().lower()
    try:
        with _sessions() as session:
            people = accounts.list_people(session, actor=Actor.system(_cli_actor()))
            user = next((u for u in people if u.email.lower() == wanted and u.is_active), None)
            if user is None:
                console.print(f"[red]No active account has the email {email!r}.[/red]")
                raise typer.Exit(code=2)
            actor = accounts.actor_for(user)
            run = dialogues.run_fund(session, actor=actor, event_id=event_id)
            event = dialogues.get_event(session, actor=actor, event_id=event_id)
            lines = dialogues.travel_applications(session, actor=actor, event_id=event_id)
            currency = event.budget_currency
            console.print(f"Fund run {run.id} for event {event_id}: {run.status}")
            gap = f"{run.proven_gap:.4%}" if math.isfinite(run.proven_gap) else "none"
            console.print(
                f"Total awarded: {run.total_awarded:,.2f} of {run.budget:,.2f} {currency}"
                f"  (proven gap {gap}, {run.solve_seconds:.2f} s)"
            )
            console.print("Binding constraints: " + (", ".join(run.binding) or "none"))
            if run.conflicting:
                console.print("[red]Conflicting constraints: " + ", ".join(run.conflicting) + "[/red]")
            table = Table("Participant", "Country", "Requested", "Awarded", "Reason", title="Decisions")
            for line in lines:
                grant = line.grant
                reason = "-"
                if grant is not None:
                    reason = grant.reason_code + (f" ({grant.reason_detail})" if grant.reason_detail else "")
                table.add_row(
                    line.participant.full_name,
                    line.participant.country_iso3 or "-",
                    f"{line.requested:,.2f}",
                    f"{grant.amount:,.2f}" if grant is not None else "-",
                    reason,
                )
            console.print(table)
    except DomainError as refused:
        console.print(f"[red]Refused: {refused}[/red]")
        raise typer.Exit(code=1) from refused


@events_app.command("actions")
def events_actions(
    overdue: Annotated[bool, typer.Option("--overdue", help="Only open actions past their due date")] = False,
    lang: LanguageOption = "en",
) -> None:
    """List the follow-up actions agreed at events (soonest due first)."""
    from pux.accounts.permissions import Actor
    from pux.dialogues import service as dialogues
    from pux.dialogues.repository import ActionFilter
    from pux.dialogues.vocabulary import ACTION_OPEN_STATUSES, action_status_label
    from pux.pagination import MAX_PAGE_SIZE, PageRequest

    today = dialogues.now_utc().date()
    filters = ActionFilter(overdue_on=today if overdue else None)
    actor = Actor.system(_cli_actor())
    table = Table("ID", "Event", "Action", "Owner", "Due", "Status", title="Follow-up actions")
    with language_context(lang), _sessions() as session:
        number, total = 1, 0
        while True:
            page = dialogues.list_actions(
                session, actor=actor, filters=filters, page=PageRequest(number=number, size=MAX_PAGE_SIZE)
            )
            total = page.total
            for action in page.items:
                owner = action.owner_user.full_name if action.owner_user else None
                if action.owner_organisation:
                    owner = (
                        f"{owner} ({action.owner_organisation.name})"
                        if owner
                        else action.owner_organisation.name
                    )
                late = (
                    action.due_on is not None
                    and action.due_on < today
                    and action.status in ACTION_OPEN_STATUSES
                )
                table.add_row(
                    str(action.id),
                    str(action.event_id),
                    action.title,
                    owner or "-",
                    (f"{action.due_on:%Y-%m-%d}" + (" OVERDUE" if late else "")) if action.due_on else "-",
                    action_status_label(action.status),
                )
            if page.request.number >= page.pages:
                break
            number += 1
    console.print(table)
    console.print(f"{total} actions")


# --- Knowledge: the evidence ledger ----------------------------------------------------------------------

evidence_app = typer.Typer(help="The evidence ledger of techniques.", no_args_is_help=True)
app.add_typer(evidence_app, name="evidence")


def _load_knowledge(session: Session):  # type: ignore[no-untyped-def]
    """The knowledge seed (techniques, evidence, myths): loaded with the reference data, safe to repeat."""
    from pux.knowledge.seed import load_knowledge_seed

    return load_knowledge_seed(session, actor=_cli_actor())


def _actor_for_email(session: Session, email: str | None):  # type: ignore[no-untyped-def]
    from pux.accounts import repository as accounts_repository
    from pux.accounts import service as accounts
    from pux.accounts.permissions import Actor

    if not email:
        return Actor.system(_cli_actor())
    user = accounts_repository.get_user_by_email(session, email)
    if user is None:
        console.print(f"[red]No account with the email {email}.[/red]")
        raise typer.Exit(code=1)
    return accounts.actor_for(user)


@evidence_app.command("import")
def evidence_import(
    file: Path,
    as_email: Annotated[
        str | None, typer.Option("--as", help="Import as this person (the entries' author); default: the CLI")
    ] = None,
) -> None:
    """Import ledger entries from a CSV file (data/FORMAT.md columns): checked whole, every bad row and
    field named, nothing saved unless all rows are good; a row whose key exists updates that entry."""
    from pux.errors import DomainError, ValidationFailed
    from pux.interop.tabular.formats import read_table
    from pux.knowledge import service as knowledge

    # The shared table reader numbers each row as a spreadsheet shows it (blank rows counted, not read)
    # and takes a file separated by commas, semicolons or tabs.
    table = read_table(_read_utf8(file).encode(), file.name)
    try:
        if table.problems:
            raise ValidationFailed(table.problems)
        with _sessions() as session:
            report = knowledge.import_evidence(
                session,
                actor=_actor_for_email(session, as_email),
                rows=table.rows,
                row_numbers=table.row_numbers,
            )
    except ValidationFailed as refused:
        console.print(f"[red]Refused: nothing was imported. {len(refused.problems)} problem(s):[/red]")
        for problem in refused.problems:
            console.print(f"  {escape(str(problem))}")
        raise typer.Exit(code=1) from refused
    except DomainError as refused:
        console.print(f"[red]Refused: {refused}[/red]")
        raise typer.Exit(code=1) from refused
    console.print(f"Imported: {report.created} new, {report.updated} updated, {report.unchanged} unchanged.")


@evidence_app.command("list")
def evidence_list(
    status: Annotated[str | None, typer.Option("--status", help="reported, checked or disputed")] = None,
    lang: LanguageOption = "en",
) -> None:
    """List the ledger's entries with their figure, citation and status."""
    from pux.accounts.permissions import Actor
    from pux.knowledge import service as knowledge
    from pux.knowledge.repository import EvidenceFilter
    from pux.knowledge.vocabulary import (
        EVIDENCE_STATUSES,
        METHOD_NOT_STATED,
        evidence_status_label,
        study_method_label,
    )
    from pux.pagination import MAX_PAGE_SIZE, PageRequest

    if status and status not in EVIDENCE_STATUSES:
        console.print(f"[red]--status must be one of: {', '.join(EVIDENCE_STATUSES)}[/red]")
        raise typer.Exit(code=2)
    table = Table(
        "ID", "Key", "Technique", "Claim", "Figure", "Method", "Citation", "Status", title="Evidence ledger"
    )
    with language_context(lang), _sessions() as session:
        number, total = 1, 0
        while True:
            page = knowledge.list_evidence(
                session, actor=Actor.public(), filters=EvidenceFilter(status=status),
                page=PageRequest(number=number, size=MAX_PAGE_SIZE),
            )  # fmt: skip
            total = page.total
            for entry in page.items:
                figure = "-" if entry.value is None else f"{entry.value:g}"
                if entry.value_high is not None:
                    figure += f"-{entry.value_high:g}"
                citation = f"{entry.citation_title} ({entry.citation_year or '-'})"
                table.add_row(
                    str(entry.id), entry.key or "-", entry.technique_code, entry.claim,
                    f"{figure} {entry.unit} {entry.currency or ''}".strip(),
                    study_method_label(entry.study_method or METHOD_NOT_STATED), citation,
                    evidence_status_label(entry.status),
                )  # fmt: skip
            if page.request.number >= page.pages:
                break
            number += 1
    console.print(table)
    console.print(f"{total} entries")


# --- Search -----------------------------------------------------------------------------------------


@app.command("search")
def search_command(
    words: Annotated[list[str], typer.Argument(help='"WORDS" to search for; or: reindex; or: eval FILE.csv')],
    lang: LanguageOption = "en",
    limit: Annotated[int, typer.Option(help="How many results to show.")] = 20,
) -> None:
    """Search everything (as the public sees it), rebuild the index (reindex), or judge it (eval FILE)."""
    if words == ["reindex"]:
        _search_reindex()
    elif len(words) == 2 and words[0] == "eval":
        _search_eval(Path(words[1]))
    else:
        _search_query(" ".join(words), lang, limit)


def _search_query(query: str, language: str, limit: int) -> None:
    from pux.accounts.permissions import Actor
    from pux.pagination import MAX_PAGE_SIZE, PageRequest
    from pux.search import service as search
    from pux.search.repository import SearchFilter

    with _sessions() as session:
        results = search.search(
            session,
            actor=Actor.public(),
            query=query,
            language=language,
            filters=SearchFilter(),
            page=PageRequest(number=1, size=max(1, min(limit, MAX_PAGE_SIZE))),
        )
    table = Table("Kind", "Key", "Title", "Link", title=f"{results.total} results for {results.query!r}")
    for hit in results.hits:
        table.add_row(search.kind_label(hit.kind), hit.key, hit.title, hit.url)
    console.print(table)


def _search_reindex() -> None:
    from rich.progress import Progress

    from pux.accounts.permissions import Actor
    from pux.search import service as search

    with _sessions() as session:
        total = sum(search.record_counts(session).values())
        with Progress(console=console) as progress:
            task = progress.add_task("Indexing", total=total)

            def advance(kind: str, done: int) -> None:
                progress.update(task, advance=done, description=f"Indexing {kind}")

            counts = search.reindex(session, actor=Actor.system(_cli_actor()), progress=advance)
    console.print("Documents indexed: " + ", ".join(f"{kind} {count}" for kind, count in counts.items()))


def _search_eval(file: Path) -> None:
    import csv

    from pux.search import service as search

    with file.open(newline="", encoding="utf-8") as handle:
        judged = [
            search.JudgedQuery(
                language=row["language"].strip(),
                query=row["query"].strip(),
                expected=tuple(
                    (kind.strip(), key.strip())
                    for kind, _sep, key in (part.partition(":") for part in row["expected"].split(";"))
                    if key.strip()
                ),
            )
            for row in csv.DictReader(handle)
        ]
    with _sessions() as session:
        evaluation = search.evaluate(session, judged=judged)
    table = Table("Language", "Queries", "MRR", "Recall@10", title="Search relevance")
    for language, (count, mrr, recall) in sorted(evaluation.per_language.items()):
        table.add_row(language, str(count), f"{mrr:.3f}", f"{recall:.3f}")
    table.add_row(
        "all",
        str(evaluation.queries),
        f"{evaluation.mean_reciprocal_rank:.3f}",
        f"{evaluation.recall_at_10:.3f}",
    )
    console.print(table)
    for miss in evaluation.misses:
        console.print(f"  not first: {miss}")


# --- Briefs -----------------------------------------------------------------------------------------

briefs_app = typer.Typer(help="Country briefs in bulk.", no_args_is_help=True)
app.add_typer(briefs_app, name="briefs")
ReaderOption = Annotated[
    str | None, typer.Option("--as", help="Email of the reader whose view to print (default: the public's)")
]


def _reader(session: Session, email: str | None):  # type: ignore[no-untyped-def]
    """The public, or the account with this email (its brief shows what that person may see)."""
    from pux.accounts import service as accounts
    from pux.accounts.permissions import Actor

    if email is None:
        return Actor.public()
    wanted = email.strip().lower()
    people = accounts.list_people(session, actor=Actor.system(_cli_actor()))
    user = next((u for u in people if u.email.lower() == wanted and u.is_active), None)
    if user is None:
        console.print(f"[red]No active account has the email {email!r}.[/red]")
        raise typer.Exit(code=2)
    return accounts.actor_for(user)


@app.command("brief")
def brief_command(
    key: Annotated[str, typer.Argument(help="ISO3 code (KEN), M49 region code (014) or organisation number")],
    output: Annotated[Path, typer.Option("--output", "-o", help="The PDF file to write")],
    lang: LanguageOption = "en",
    kind: Annotated[str, typer.Option(help="country, region or organisation")] = "country",
    reader: ReaderOption = None,
) -> None:
    """Write the brief of a country (or region, or organisation) as PDF in a language."""
    from pux.briefs import service as briefs
    from pux.briefs.views import printable_html
    from pux.errors import DomainError

    with _sessions() as session, language_context(lang):
        try:
            rendered = briefs.pdf_brief(
                session, actor=_reader(session, reader), kind=kind, key=key, printable=printable_html
            )
        except DomainError as refused:
            console.print(f"[red]{refused}[/red]")
            raise typer.Exit(code=1) from refused
    output.write_bytes(rendered.content)
    console.print(
        f"{output}: {rendered.pages} pages, {len(rendered.content):,} bytes, "
        f"data version {rendered.stamp.data_version}"
    )


@briefs_app.command("all")
def briefs_all(
    output: Annotated[Path, typer.Option("--output", "-o", help="The folder to write the PDFs in")],
    lang: LanguageOption = "en",
    reader: ReaderOption = None,
) -> None:
    """Write the brief of every country with needs or assistance recorded, as PDF, into a folder."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from pux.briefs import service as briefs
    from pux.briefs.views import pdf_filename, printable_html

    output.mkdir(parents=True, exist_ok=True)
    with _sessions() as session, language_context(lang):
        actor = _reader(session, reader)
        codes = briefs.recipient_countries(session)
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
        with Progress(*columns, console=console) as progress:
            task = progress.add_task("Briefs", total=len(codes))
            for code in codes:
                progress.update(task, description=f"Brief {code}")
                rendered = briefs.pdf_brief(
                    session, actor=actor, kind="country", key=code, printable=printable_html
                )
                (output / pdf_filename("country", code, rendered.stamp.made_on)).write_bytes(rendered.content)
                progress.advance(task)
    console.print(f"{len(codes)} briefs in {output} ({lang})")


iati_app = typer.Typer(help="IATI 2.03 activity files: import and export.", no_args_is_help=True)
app.add_typer(iati_app, name="iati")


def _iati_files(source: Path) -> list[Path]:
    if source.is_dir():
        return sorted(path for path in source.rglob("*.xml") if path.is_file())
    return [source]


@iati_app.command("import")
def iati_import(
    source: Annotated[Path, typer.Argument(help="An IATI activity file, or a folder of them (*.xml)")],
    country: Annotated[
        list[str] | None, typer.Option("--country", help="Only this recipient country (ISO3)")
    ] = None,
    sector_prefix: Annotated[
        list[str] | None, typer.Option("--sector-prefix", help="Only DAC sectors starting with this")
    ] = None,
    reporting_org: Annotated[
        list[str] | None, typer.Option("--reporting-org", help="Only activities this organisation reports")
    ] = None,
    everything: Annotated[bool, typer.Option("--all", help="Every valid activity, relevant or not")] = False,
    rules: Annotated[Path | None, typer.Option("--rules", help="A relevance rules file (TOML)")] = None,
    as_email: Annotated[
        str | None, typer.Option("--as", help="Import as this facilitator (default: the CLI)")
    ] = None,
    batch_size: Annotated[
        int, typer.Option("--batch-size", min=1, max=10_000, help="Activities written per transaction")
    ] = 250,
    lang: LanguageOption = "en",
) -> None:
    """Import the relevant, valid activities of IATI files; re-running continues a stopped import."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from pux.errors import DomainError
    from pux.interop.iati import service as iati
    from pux.interop.iati.relevance import RulesFileError

    files = _iati_files(source)
    if not files:
        console.print(f"[red]No IATI files (*.xml) in {source}.[/red]")
        raise typer.Exit(code=1)
    options = iati.ImportOptions(
        countries=tuple(code.upper() for code in country or ()),
        sector_prefixes=tuple(sector_prefix or ()),
        reporting_orgs=tuple(reporting_org or ()),
        everything=everything,
        rules_path=str(rules.resolve()) if rules else None,
        batch_size=batch_size,
    )
    settings = get_settings()
    engine = make_engine(settings.database_url)
    failed = False
    try:
        _require_current_schema(engine)
        factory = make_session_factory(engine)
        with unit_of_work(factory) as session:
            actor = _actor_for_email(session, as_email)
        with language_context(lang):
            for path in files:
                columns = (
                    TextColumn("{task.description}"),
                    BarColumn(),
                    MofNCompleteColumn(),
                    TimeRemainingColumn(),
                )
                with Progress(*columns, console=console, transient=True) as bar:
                    task = bar.add_task(path.name, total=None)
                    try:
                        report = iati.import_file(
                            session_factory=factory,
                            actor=actor,
                            path=path,
                            options=options,
                            base_url=settings.base_url,
                            progress=_bar_progress(bar, task),
                        )
                    except iati.ImportUnderway as underway:
                        # Not a refusal: another process imports (or took over) this file, and what this
                        # one wrote before stays; its run says how far it got.
                        console.print(f"[yellow]{path.name}: {underway} (run {underway.run_id})[/yellow]")
                        failed = True
                        continue
                    except (DomainError, RulesFileError) as refused:
                        console.print(f"[red]{path.name}: refused, nothing was imported. {refused}[/red]")
                        failed = True
                        continue
                _print_iati_report(report)
    finally:
        engine.dispose()
    if failed:
        raise typer.Exit(code=1)


def _bar_progress(bar: Any, task: Any) -> Callable[[int, int], None]:
    """The import's progress callback, moving a rich progress bar."""

    def moved(done: int, total: int) -> None:
        bar.update(task, completed=done, total=total)

    return moved


def _print_iati_report(report) -> None:  # type: ignore[no-untyped-def]
    console.print(
        f"{report.file_name}: {report.read} read, {report.relevant} relevant, {report.new} new, "
        f"{report.updated} updated, {report.unchanged} unchanged, {report.refused} refused "
        f"in {report.seconds:.1f} s"
    )
    for refusal in report.refusals[:50]:
        console.print(f"  line {refusal.line}: {refusal.identifier or '-'} {refusal.message()}")
    if len(report.refusals) > 50:
        console.print(f"  ... and {report.refused - 50} more refused (listed on /activities/import/iati)")


@iati_app.command("export")
def iati_export(
    output: Annotated[Path, typer.Argument(help="The IATI XML file to write")],
    country: Annotated[
        str | None, typer.Option("--country", help="Only this recipient country (ISO3)")
    ] = None,
    technique: Annotated[str | None, typer.Option("--technique", help="Only this PUX technique")] = None,
) -> None:
    """Write PUX's activities as an IATI 2.03 activity file (it passes the official XSD)."""
    from pux.accounts.permissions import Actor
    from pux.assistance.repository import ActivityFilter
    from pux.interop.iati import service as iati

    filters = ActivityFilter(country_iso3=country.upper() if country else None, technique_code=technique)
    with _sessions() as session, output.open("wb") as target:
        count = iati.export_activities(
            session,
            actor=Actor.system(_cli_actor()),
            filters=filters,
            target=target,
            base_url=get_settings().base_url,
        )
    console.print(f"{count} activities written to {output}")


@app.command("backup")
def backup_command(output: Annotated[Path, typer.Argument(help="The backup file to write")]) -> None:
    """Back up the whole database, consistent while the app runs (SQLite: online backup; PostgreSQL:
    pg_dump)."""
    from pux.accounts.permissions import Actor
    from pux.backup import service as backups

    engine = make_engine(get_settings().database_url)
    try:
        _require_current_schema(engine)  # a database never set up "backed up" as 0 rows in 0 tables
        manifest = backups.backup(engine, output, actor=Actor.system(_cli_actor()))
    except backups.BackupFailed as error:
        console.print(f"[red]{error}[/red]")
        raise typer.Exit(code=1) from error
    finally:
        engine.dispose()
    console.print(
        f"Backup written to {output} ({sum(manifest.tables.values())} rows in {len(manifest.tables)} tables)"
    )
    console.print(f"Manifest: {backups.manifest_path(output)}")


@app.command("restore")
def restore_command(
    backup_file: Annotated[Path, typer.Argument(help="A file written by pux backup")],
) -> None:
    """Replace the database's content with a backup (stop the app first), then check every table's row
    count against the backup's manifest and the audit chain."""
    from pux.accounts.permissions import Actor
    from pux.audit import service as audit
    from pux.backup import service as backups

    engine = make_engine(get_settings().database_url)
    try:
        report = backups.restore(engine, backup_file, actor=Actor.system(_cli_actor()))
    except backups.BackupFailed as error:
        console.print(f"[red]{error}[/red]")
        raise typer.Exit(code=1) from error
    finally:
        engine.dispose()
    console.print(f"Restored the backup made {report.manifest.made_at}: {len(report.tables)} tables")
    for name, (expected, found) in report.differing_tables.items():
        console.print(f"[red]{name}: {expected} rows in the backup, {found} after the restore[/red]")
    if not report.chain.intact:
        console.print(f"[red]Audit chain broken at number {report.chain.broken_at}: "
                      f"{audit.reason_label(report.chain.reason)}[/red]")  # fmt: skip
    if not report.consistent:
        raise typer.Exit(code=1)
    console.print(
        f"[green]Every table's row count matches; audit chain intact ({report.chain.checked} events).[/green]"
    )


# --- Audit trail -----------------------------------------------------------------------------------

audit_app = typer.Typer(help="The audit trail.", no_args_is_help=True)
app.add_typer(audit_app, name="audit")


@audit_app.command("verify")
def audit_verify(lang: LanguageOption = "en") -> None:
    """Check the audit trail's hash chain; names the first event that does not fit (exit code 1)."""
    from pux.accounts.permissions import Actor
    from pux.audit import service as audit

    with language_context(lang), _sessions() as session:
        report = audit.verify(session, actor=Actor.system(_cli_actor()))
        reason = audit.reason_label(report.reason)
        # Every event the app writes is chained when its transaction commits: one outside the chain was
        # written by someone else, straight into the database.
        outside = audit.outside_chain_note(report)
    console.print(f"{report.checked} events checked, {report.unsealed} outside the chain")
    if outside:
        console.print(f"[red]{outside}[/red]")
    if report.intact:
        console.print("[green]The audit chain is intact.[/green]")
        return
    which = f"event {report.event_id}" if report.event_id is not None else "the end of the chain"
    console.print(f"[red]The chain breaks at number {report.broken_at} ({which}): {reason}.[/red]")
    raise typer.Exit(code=1)


# Every command's writes keep the search index up to date (the session hooks are installed on import).
import pux.search.indexing  # noqa: E402, F401

if __name__ == "__main__":  # ``python -m pux.cli ...`` did nothing and exited 0
    app()
