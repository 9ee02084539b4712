"""An app process keeps at most PUX_MALLOC_ARENAS malloc arenas, however many request threads allocate at
once (glibc's default gives a busy thread an arena of its own: memory freed there is not reused by the
others). Counted by glibc itself (malloc_info), in a process of its own."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

_PROBE = textwrap.dedent(
    """
    import ctypes, sys, tempfile, threading
    from pux.processes import limit_malloc_arenas

    limited = limit_malloc_arenas(int(sys.argv[1]))
    start = threading.Barrier(16)

    def allocate():
        start.wait()  # all at once: each meets the others' arenas busy
        kept = [bytearray(4096) for _ in range(2000)]
        del kept

    threads = [threading.Thread(target=allocate) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    libc = ctypes.CDLL(None)
    libc.fopen.restype = ctypes.c_void_p
    with tempfile.NamedTemporaryFile(suffix=".xml") as report:
        stream = libc.fopen(report.name.encode(), b"w")
        libc.malloc_info(0, ctypes.c_void_p(stream))
        libc.fclose(ctypes.c_void_p(stream))
        print(limited, open(report.name).read().count("<heap nr="))
    """
)


def _arenas(limit: int) -> tuple[bool, int]:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, str(limit)], capture_output=True, text=True, check=True
    )
    limited, heaps = done.stdout.split()
    return limited == "True", int(heaps)


def test_the_arenas_are_limited_where_glibc_would_give_each_busy_thread_one() -> None:
    limited, heaps = _arenas(2)
    if not limited:
        pytest.fail("the C library refused the limit (PUX runs on glibc: Debian)")
    assert heaps <= 2
    unlimited, default_heaps = _arenas(0)
    assert not unlimited and default_heaps > 2  # without the limit, the same threads make more
