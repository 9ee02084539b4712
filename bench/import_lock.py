"""How long a large import holds SQLite's single write lock while it saves. Prints `name: value` lines;
asserts nothing.

python bench/import_lock.py               # 20,000 rows of each kind, scratch SQLite (`pux init`, `pux demo`)
python bench/import_lock.py --rows 5000   # a quicker run
python bench/import_lock.py --profile     # and the save phase's top functions (cProfile)

Each file is imported through the service the web upload uses (tabular.import_table; for IATI, the
service `pux iati import` and the upload's job use), with the demo's own people: the Kenyan focal point
imports the needs, the donor representative the activities, the facilitator the IATI file.

For each import: rows, total seconds, seconds the write lock was held (from each write transaction's
BEGIN IMMEDIATE to its commit; an IATI import writes a batch a transaction, so the longest one is shown
too), milliseconds held per row, and the CPU seconds this process spent meanwhile (on a busy machine the
wall clock stretches; the CPU time much less). Every other writer of the site waits for the lock, for at most
SQLITE_BUSY_TIMEOUT_MS (then its request fails): a hold longer than that is a failed save for someone.
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import io
import pstats
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from concurrency import prepare_scratch  # noqa: E402  (a scratch database made as an installation makes it)

NEED_IMPORTER = "focal.kenya@demo.pux.invalid"
ACTIVITY_IMPORTER = "donor@demo.pux.invalid"
IATI_IMPORTER = "facilitator@demo.pux.invalid"


def needs_csv(rows: int) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        ["country_iso3", "title", "thematic_area_code", "technique_codes", "sdg_target_codes"]
        + ["estimated_cost", "currency", "beneficiaries_count", "visibility"]
    )
    for number in range(rows):
        writer.writerow(
            ["KEN", f"Bench need {number}", "health", "radiotherapy;nuclear_medicine", "3.4"]
            + [f"{1000 + number}.50", "USD", number % 500, "public"]
        )
    return buffer.getvalue().encode()


def activities_csv(rows: int, provider_id: int) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        ["external_id", "title", "provider_organisation_id", "recipient_country_iso3", "thematic_area_code"]
        + ["technique_code", "amount_committed", "amount_disbursed", "currency", "start_date", "end_date"]
        + ["status", "dac_sector_codes", "visibility"]
    )
    for number in range(rows):
        writer.writerow(
            [f"BENCH-LOCK-{number}", f"Bench activity {number}", provider_id, "KEN", "health"]
            + ["radiotherapy", "1000", "500", "USD", "2026-01-01", "2026-12-31"]
            + ["implementation", "12191", "public"]
        )
    return buffer.getvalue().encode()


@dataclass
class WriteLocks:
    """The write transactions begun on an engine: how long each held SQLite's write lock."""

    holds: list[float] = field(default_factory=list)
    # This process's CPU seconds while it held the lock: what the import itself spent, which the machine's
    # other load does not stretch as it does the wall clock.
    cpu: list[float] = field(default_factory=list)
    _since: float | None = None
    _cpu_since: float = 0.0

    def began(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        # After BEGIN IMMEDIATE returned: the lock is held from here (waiting for it is not holding it).
        if statement.startswith("BEGIN IMMEDIATE"):
            self._since = time.perf_counter()
            self._cpu_since = time.process_time()

    def ended(self, _conn: Any) -> None:
        if self._since is not None:
            self.holds.append(time.perf_counter() - self._since)
            self.cpu.append(time.process_time() - self._cpu_since)
            self._since = None


@contextmanager
def write_locks_of(engine: Any) -> Iterator[WriteLocks]:
    from sqlalchemy import event

    locks = WriteLocks()
    listeners: list[tuple[str, Callable[..., None]]] = [
        ("after_cursor_execute", locks.began),
        ("commit", locks.ended),
        ("rollback", locks.ended),
    ]
    for name, listener in listeners:
        event.listen(engine, name, listener)
    try:
        yield locks
    finally:
        for name, listener in listeners:
            event.remove(engine, name, listener)


def _actor(session: Any, email: str) -> Any:
    from pux.accounts import repository
    from pux.accounts import service as accounts

    user = repository.get_user_by_email(session, email)
    assert user is not None, f"{email} is missing: the demo data was not loaded"
    return accounts.actor_for(user)


def _donor_organisation(session: Any) -> int:
    actor = _actor(session, ACTIVITY_IMPORTER)
    assert actor.organisation_id is not None
    return int(actor.organisation_id)


@dataclass
class Measured:
    rows: int
    seconds: float
    holds: list[float]
    cpu: list[float]

    def lines(self, label: str) -> list[str]:
        held = sum(self.holds)
        return [
            f"{label}_rows: {self.rows}",
            f"{label}_seconds: {self.seconds:.2f}",
            f"{label}_write_transactions: {len(self.holds)}",
            f"{label}_lock_held_seconds: {held:.2f}",
            f"{label}_longest_hold_seconds: {max(self.holds, default=0.0):.2f}",
            f"{label}_lock_held_ms_per_row: {1000 * held / max(self.rows, 1):.3f}",
            f"{label}_lock_held_cpu_seconds: {sum(self.cpu):.2f}",
        ]


def import_tabular(
    database_url: str, entity: str, email: str, content: bytes, profile: Path | None
) -> Measured:
    """One file imported as the web upload imports it: a session that writes later, committed at the end."""
    import pux.search.indexing  # noqa: F401  (the search index is kept up to date, as by the app)
    from pux.db import make_engine, make_session_factory
    from pux.interop.tabular import service as tabular

    engine = make_engine(database_url)
    factory = make_session_factory(engine)
    try:
        with factory() as session, write_locks_of(engine) as locks:
            actor = _actor(session, email)
            session.commit()
            started = time.perf_counter()
            profiler = cProfile.Profile() if profile else None
            with _profiled_save(profiler):
                report = tabular.import_table(
                    session, actor=actor, entity_name=entity, content=content, filename=f"{entity}.csv"
                )
                session.commit()
            seconds = time.perf_counter() - started
        if profiler and profile:
            profiler.dump_stats(str(profile))
        return Measured(report.created + report.updated + report.unchanged, seconds, locks.holds, locks.cpu)
    finally:
        engine.dispose()


@contextmanager
def _profiled_save(profiler: cProfile.Profile | None) -> Iterator[None]:
    """Profile only the write transaction: from its BEGIN IMMEDIATE (write_from_here) to the commit."""
    if profiler is None:
        yield
        return
    from unittest import mock

    from pux import db
    from pux.interop.tabular import service as tabular

    def profiled_from_here(session: Any) -> None:
        db.write_from_here(session)
        profiler.enable()

    try:
        with mock.patch.object(tabular, "write_from_here", profiled_from_here):
            yield
    finally:
        profiler.disable()


def import_iati(database_url: str, path: Path) -> Measured:
    import pux.search.indexing  # noqa: F401
    from pux.db import make_engine, make_session_factory
    from pux.interop.iati import service

    engine = make_engine(database_url)
    factory = make_session_factory(engine)
    try:
        with factory() as session:
            actor = _actor(session, IATI_IMPORTER)
        with write_locks_of(engine) as locks:
            started = time.perf_counter()
            report = service.import_file(
                session_factory=factory,
                actor=actor,
                path=path,
                base_url="http://127.0.0.1:8000",
                options=service.ImportOptions(everything=True),
            )
            seconds = time.perf_counter() - started
        return Measured(report.read, seconds, locks.holds, locks.cpu)
    finally:
        engine.dispose()


def _print_profile(path: Path, label: str) -> None:
    print(f"--- {label}: the write transaction's top functions (cumulative) ---")
    stats = pstats.Stats(str(path), stream=sys.stdout)
    stats.sort_stats("cumulative").print_stats(25)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--skip-iati", action="store_true", help="only the needs and activities files")
    parser.add_argument("--only", choices=["needs", "activities", "iati"], help="import one kind of file")
    parser.add_argument("--profile", action="store_true", help="print each save phase's cProfile")
    args = parser.parse_args()
    from pux.db import SQLITE_BUSY_TIMEOUT_MS, make_engine, make_session_factory

    print(f"busy_timeout_seconds: {SQLITE_BUSY_TIMEOUT_MS / 1000:.0f}")
    with tempfile.TemporaryDirectory(prefix="pux-bench-import-lock-") as scratch:
        folder = Path(scratch)
        database_url = prepare_scratch(folder)
        engine = make_engine(database_url)
        with make_session_factory(engine)() as session:
            provider = _donor_organisation(session)
        engine.dispose()
        files = {
            "needs": (NEED_IMPORTER, needs_csv(args.rows)),
            "activities": (ACTIVITY_IMPORTER, activities_csv(args.rows, provider)),
        }
        for entity, (email, content) in files.items():
            if args.only not in (None, entity):
                continue
            profile = folder / f"{entity}.prof" if args.profile else None
            measured = import_tabular(database_url, entity, email, content, profile)
            print("\n".join(measured.lines(entity)), flush=True)
            if profile:
                _print_profile(profile, entity)
        if not args.skip_iati and args.only in (None, "iati"):
            from pux.interop.iati import synthetic

            path = synthetic.write_file(folder / "iati.xml", synthetic.activities(args.rows))
            print("\n".join(import_iati(database_url, path).lines("iati")), flush=True)


if __name__ == "__main__":
    main()
