"""Benchmark of the table exports (needs, programmes, activities as CSV, and as xlsx): prints `name: value`
lines, asserts nothing.

Usage:  python bench/exports.py --database-url sqlite:////path/pux.sqlite3 [--formats csv,xlsx] [--repeats 2]

Run it on a database at the mission's scale (``pux init && pux demo && python bench/scale.py``: 20,000
needs, 2,000 programmes, 200,000 activities). Every record is exported (as the system, which sees all), to
a sink that only counts bytes, so that the figure is the export's own speed, not a disk's or a network's.
``rows_per_s`` is the best of ``--repeats`` runs; ``peak_rss_mb`` is the process's peak memory after all
runs (an export that streams keeps it near the size of the loaded program, whatever the table's size).
"""

from __future__ import annotations

import argparse
import io
import resource
import sys
import time
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from pux.accounts.permissions import Actor  # noqa: E402
from pux.db import make_engine, make_session_factory  # noqa: E402
from pux.interop.tabular import service  # noqa: E402
from pux.processes import set_long_lived_objects_apart, space_out_collections  # noqa: E402

ENTITIES = ("needs", "programmes", "activities")


class ByteCounter(io.RawIOBase):
    """A writable sink that keeps nothing but the number of bytes written to it."""

    def __init__(self) -> None:
        self.written = 0

    def writable(self) -> bool:
        return True

    def write(self, data: object) -> int:
        size = len(memoryview(data))  # type: ignore[arg-type]
        self.written += size
        return size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--formats", default="csv,xlsx")
    parser.add_argument("--repeats", type=int, default=2)
    arguments = parser.parse_args()
    factory = make_session_factory(make_engine(arguments.database_url))
    space_out_collections()  # as a served process does
    set_long_lived_objects_apart()  # as a served process does after its warm-up
    actor = Actor.system("bench")
    for entity in ENTITIES:
        rows = _row_count(factory, actor, entity)
        for file_format in arguments.formats.split(","):
            best = float("inf")
            written = 0
            for _ in range(arguments.repeats):
                sink = ByteCounter()
                with factory() as session:
                    started = time.perf_counter()
                    service.export_table(
                        session, actor=actor, entity_name=entity, target=sink, file_format=file_format
                    )
                    best = min(best, time.perf_counter() - started)
                written = sink.written
            print(f"{entity}_{file_format}_rows: {rows}")
            print(f"{entity}_{file_format}_seconds: {best:.2f}")
            print(f"{entity}_{file_format}_rows_per_s: {rows / best:.0f}")
            print(f"{entity}_{file_format}_mb: {written / 1e6:.1f}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak_rss_mb: {peak:.0f}")


def _row_count(factory: sessionmaker[Session], actor: Actor, entity: str) -> int:
    """The records of one export, counted from the service (cells may hold line breaks: a CSV's lines
    are not its records)."""
    with factory() as session:
        return sum(1 for _ in service.ENTITIES[entity].export(session, actor, None, ["id"]))


if __name__ == "__main__":
    main()
