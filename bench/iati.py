"""IATI benchmark: writes a synthetic, schema-valid IATI 2.03 file and times reading, importing and
exporting it. Prints `name: value` lines; asserts nothing.

python bench/iati.py                                   # 100,000 activities (and a file ten times smaller)
python bench/iati.py --activities 10000                # a quicker run
python bench/iati.py --database-url postgresql+psycopg://user@host/scratch_db   # an EMPTY database

Each activity has three transactions (one with its own sector and country), three sectors, a country,
two participating organisations and narratives in three languages (about 2.4 KB of XML), so 100,000
activities make a file of about 240 MB -- more than the registry's largest (60 MB) files.
Every measured step runs in a fresh process, so `peak_rss_mb` is that step's own peak memory:
reading the large file and the small one should use about the same memory (the reader streams).

- parse_validate_activities_per_s: streaming read + XSD check of each activity + PUX's rules
  (and _per_cpu_s: the same per second of the step's own CPU time)
- import_activities_per_s: the whole import (both passes, relevance, writes, audit, search index),
  every activity imported (--all), on SQLite (a new file) or the database given
- export_activities_per_s: the activities written back as IATI XML
"""

from __future__ import annotations

import argparse
import io
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SMALL_DIVISOR = 10


def _peak_rss_mb() -> float:
    """This process's peak resident memory. VmHWM starts afresh at exec; ru_maxrss (the fallback) keeps
    the launching process's peak on Linux, which would hide how little a step itself needs."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def step_parse(path: Path) -> dict[str, float]:
    from pux.interop.iati import reader, rules
    from pux.interop.iati.schema import activities_schema

    context = rules.RuleContext(pux_currencies=frozenset({"USD", "EUR", "GBP"}))
    # Compiling the XSD is done once per process (a server has it ready): timed apart from the reading.
    loading = time.perf_counter()
    activities_schema()
    schema_load_s = time.perf_counter() - loading
    started, cpu = time.perf_counter(), time.process_time()
    count = refused = 0
    for _header, read in reader.read(path):
        count += 1
        if read.schema_problems or rules.check(read.record, context):
            refused += 1
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu
    return {
        "activities": count,
        "refused": refused,
        "seconds": seconds,
        "per_s": count / seconds,
        "per_cpu_s": count / cpu_seconds,
        "schema_load_s": schema_load_s,
    }


def _prepared_database(database_url: str | None, folder: Path) -> str:
    from sqlalchemy import text

    from pux import migrate
    from pux.db import make_engine, make_session_factory, unit_of_work
    from pux.reference import service as reference

    url = database_url or f"sqlite:///{folder / 'bench-iati.sqlite3'}"
    if database_url:
        engine = make_engine(url)
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    migrate.upgrade(url)
    engine = make_engine(url)
    with unit_of_work(make_session_factory(engine)) as session:
        reference.load_reference_data(session, actor="bench")
    engine.dispose()
    return url


def step_import(path: Path, database_url: str) -> dict[str, float]:
    import pux.search.indexing  # noqa: F401  (the search index is kept up to date, as in `pux iati import`)
    from pux.accounts.permissions import Actor
    from pux.db import make_engine, make_session_factory
    from pux.interop.iati import service

    engine = make_engine(database_url)
    factory = make_session_factory(engine)
    started = time.perf_counter()
    report = service.import_file(
        session_factory=factory,
        actor=Actor.system("bench"),
        path=path,
        base_url="http://127.0.0.1:8000",
        options=service.ImportOptions(everything=True, batch_size=500),
    )
    seconds = time.perf_counter() - started
    engine.dispose()
    return {
        "activities": report.read,
        "new": report.new,
        "refused": report.refused,
        "seconds": seconds,
        "per_s": report.read / seconds,
    }


def step_export(database_url: str) -> dict[str, float]:
    """The imported activities written back as IATI XML (a process of its own: its own peak memory)."""
    from pux.accounts.permissions import Actor
    from pux.assistance.repository import ActivityFilter
    from pux.db import make_engine, make_session_factory
    from pux.interop.iati import service

    engine = make_engine(database_url)
    started = time.perf_counter()
    with make_session_factory(engine)() as session:
        exported = service.export_activities(
            session,
            actor=Actor.system("bench"),
            filters=ActivityFilter(),
            target=io.BytesIO(),
            base_url="http://127.0.0.1:8000",
        )
    seconds = time.perf_counter() - started
    engine.dispose()
    return {"exported": exported, "seconds": seconds, "per_s": exported / seconds}


def _run_step(*arguments: str) -> dict[str, float]:
    """A step in a fresh process (its own peak memory), its figures read back as JSON."""
    output = subprocess.run(
        [sys.executable, __file__, "--step", *arguments], check=True, capture_output=True, text=True
    ).stdout
    return json.loads(output.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--activities", type=int, default=100_000)
    parser.add_argument("--database-url", help="an EMPTY scratch database (default: new SQLite files)")
    parser.add_argument("--skip-import", action="store_true", help="only write and read the files")
    parser.add_argument("--step", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        kind, path = args.step[0], Path(args.step[1])
        if kind == "parse":
            figures = step_parse(path)
        elif kind == "import":
            figures = step_import(path, args.step[2])
        else:
            figures = step_export(args.step[2])
        print(json.dumps({**figures, "peak_rss_mb": _peak_rss_mb()}))
        return

    from pux.interop.iati import synthetic

    with tempfile.TemporaryDirectory(prefix="pux-bench-iati-") as scratch:
        folder = Path(scratch)
        sizes = {"large": args.activities, "small": max(1, args.activities // SMALL_DIVISOR)}
        for label, count in sizes.items():
            path = folder / f"{label}.xml"
            started = time.perf_counter()
            synthetic.write_file(path, synthetic.activities(count))
            print(f"{label}_activities: {count}")
            print(f"{label}_file_mb: {path.stat().st_size / 1e6:.1f}")
            print(f"{label}_write_s: {time.perf_counter() - started:.1f}")
            parsed = _run_step("parse", str(path))
            print(f"{label}_parse_validate_activities_per_s: {parsed['per_s']:.0f}")
            # Per second of this process's own CPU time: on a shared machine the wall clock also counts
            # the time other processes held the CPU.
            print(f"{label}_parse_validate_activities_per_cpu_s: {parsed['per_cpu_s']:.0f}")
            print(f"{label}_schema_load_s: {parsed['schema_load_s']:.2f}")
            print(f"{label}_parse_validate_peak_rss_mb: {parsed['peak_rss_mb']:.0f}")
            if args.skip_import:
                continue
            database = folder / label
            database.mkdir()
            url = _prepared_database(args.database_url, database)
            imported = _run_step("import", str(path), url)
            dialect = url.split(":", 1)[0].split("+", 1)[0]
            print(f"{label}_import_database: {dialect}")
            print(f"{label}_import_activities_per_s: {imported['per_s']:.0f}")
            print(f"{label}_import_s: {imported['seconds']:.1f}")
            print(f"{label}_import_peak_rss_mb: {imported['peak_rss_mb']:.0f}")
            exported = _run_step("export", str(path), url)
            print(f"{label}_export_activities_per_s: {exported['per_s']:.0f}")
            print(f"{label}_export_peak_rss_mb: {exported['peak_rss_mb']:.0f}")


if __name__ == "__main__":
    main()
