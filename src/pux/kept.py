"""Results kept per process by what they were computed from.

A key names the data version (a stamp that every write moves, see priority.repository.inputs_stamp) and
the question asked, so a stale entry is never read: after a change the next reader computes it again.
Each app process keeps its own (nothing here has to be shared between processes).

A stamp must move in the order writes commit, not the order they were written. Change times and ids are
given when a row is written: a save that commits after a later one (a row lock held elsewhere, another
server's clock) leaves them unmoved, and every process would keep the answer from before it. So each
stamp also reads what commits move: the sum of the versions of the records it depends on (needs and
programmes: every save adds one, and drafts outside the stamp's statuses leave it alone), or the chain
place of the latest committed audit record of their kind (audit.repository.latest_seq_of, given at commit
under the chain head's lock: activities, the priority index's inputs). Times and ids stay in the stamps for
writes made around PUX, which record no audit."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, TypeVar

Result = TypeVar("Result")


# A reader waiting for another thread's computation of the same result gives up waiting after this long
# and computes it itself.
WAIT_SECONDS = 120.0


class KeptResults(Generic[Result]):
    """At most ``size`` results, the least recently used going first. A result asked for by several
    threads at once is computed once: the others wait for it (after a change, every request of a busy
    workshop would otherwise compute the same seconds-long result side by side)."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._results: OrderedDict[tuple[object, ...], Result] = OrderedDict()
        self._computing: dict[tuple[object, ...], threading.Event] = {}
        self._lock = threading.Lock()

    def clear(self) -> None:
        """Forget every kept result (for tests that change what a stamp cannot see, then roll it back)."""
        with self._lock:
            self._results.clear()

    def get(self, key: tuple[object, ...], compute: Callable[[], Result]) -> Result:
        with self._lock:
            if key in self._results:
                self._results.move_to_end(key)
                return self._results[key]
            underway = self._computing.get(key)
            if underway is None:
                self._computing[key] = threading.Event()
        if underway is not None:
            underway.wait(WAIT_SECONDS)
            with self._lock:
                if key in self._results:
                    return self._results[key]
            return compute()  # the computation failed or took too long: this reader's own
        try:
            result = compute()
            with self._lock:
                self._results[key] = result
                while len(self._results) > self._size:
                    self._results.popitem(last=False)
            return result
        finally:
            with self._lock:
                self._computing.pop(key).set()
