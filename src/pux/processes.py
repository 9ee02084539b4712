"""Processes that do long work and say who they are ("host:pid..."), and whether one of them still runs;
how a long-lived process computes ahead what its first requests or jobs would wait for; and how it keeps its
start-up objects out of the cycle collector's way."""

from __future__ import annotations

import ctypes
import gc
import logging
import os
import socket
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from pux.db import unit_of_work


def process_alive(pid: int) -> bool:
    """Whether process ``pid`` of this machine still runs (a killed child its parent has not yet waited
    for is a zombie: gone all the same)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state not in {"Z", "X"}


def gone_from_this_machine(runner: str | None) -> bool:
    """Whether ``runner`` ("host:pid" or "host:pid:thread") names a process of this machine that has
    ended; False for another machine's (only its silence can tell)."""
    host, _sep, rest = (runner or "").partition(":")
    pid = rest.partition(":")[0]
    return host == socket.gethostname() and pid.isdigit() and not process_alive(int(pid))


def running_here(runner: str | None) -> bool:
    """Whether ``runner`` names a process of this machine that still runs."""
    host, _sep, rest = (runner or "").partition(":")
    pid = rest.partition(":")[0]
    return host == socket.gethostname() and pid.isdigit() and process_alive(int(pid))


def prepare_ahead(
    factory: sessionmaker[Session],
    name: str,
    step: Callable[[Session], object],
    logger: logging.Logger,
    who: str,
) -> None:
    """Run ``step`` in a read-only unit of work of its own and log, after ``who`` ("warm-up: "), ``name`` and
    how long it took. One that fails is logged and passed over: the process is then slow to the first that
    needs it, not broken."""
    started = time.perf_counter()
    try:
        with unit_of_work(factory) as session:
            step(session)
    except Exception:
        logger.exception(who + "%s failed (computed when first needed instead)", name)
        return
    logger.info(who + "%s ready in %.1f s", name, time.perf_counter() - started)


def set_long_lived_objects_apart() -> None:
    """Every object alive now out of the cycle collector's sight (``gc.freeze``: freed as ever when no
    longer used; a cycle among them is kept): garbage is collected first, so that none of it is kept. For a
    process that has loaded what it keeps for its whole life, whose full collections would walk all of it."""
    gc.collect()
    gc.freeze()


# Objects made (less those freed) before the cycle collector looks at the young ones; then 20 of its young
# collections before it looks at the middle generation, 20 of those before a full collection (Python's
# defaults: 700, 10, 10). Measured on a served process at the mission's scale, by a hook on gc.callbacks:
# a request of a few hundred thousand objects met a dozen young collections, which moved what it still
# held to the old generation, and a full collection followed every few requests (26 of them in 75
# requests, 30-75 ms each, every request of the process waiting): the pages' p95 was twice their median.
# With these, 2 full collections in the same 75 requests.
COLLECTOR_THRESHOLDS = (50_000, 20, 20)


def space_out_collections() -> None:
    """The cycle collector of a long-lived server process told to look less often (``COLLECTOR_THRESHOLDS``):
    most of a request's objects are then freed with the request before it looks, instead of being carried
    into the old generation that each full collection walks."""
    gc.set_threshold(*COLLECTOR_THRESHOLDS)


# glibc's mallopt parameter for the most arenas its malloc keeps (malloc.h).
_M_ARENA_MAX = -8


def limit_malloc_arenas(count: int) -> bool:
    """At most ``count`` malloc arenas in this process from now on (0 leaves glibc's default, eight per
    core); True when the C library took it. Each thread that meets a busy arena otherwise gets one of its
    own, and an app process runs two dozen request threads: under a steady load at the mission's scale its
    memory grew by a quarter over two minutes, freed memory held in arenas that other threads never reuse
    (`bench/load.py`: +26% with glibc's default, +7% with two arenas). Call it before the threads start."""
    if count <= 0:
        return False
    try:
        libc = ctypes.CDLL(None)
        return bool(libc.mallopt(_M_ARENA_MAX, count))
    except (OSError, AttributeError):  # not glibc: its allocator, its own rules
        return False
