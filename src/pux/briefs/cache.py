"""A bounded, in-process cache of rendered briefs.

Keys hold the data version the brief was made from (kind, key, language, audience, data version, day), so a
write that changes what a brief reads changes the key: the stale entry is never served again and simply ages
out. Nothing has to be told to forget anything, which is why no cache table is needed.

Why in memory and not files: `pux serve` is one process with many threads, a PDF is some 100-300 KB and a
brief's version is checked by a few aggregate queries on every request; a file cache would need its own
clean-up, permissions and locking across processes for little gain. Its bound is in bytes (the oldest use
goes first), so memory stays flat however many briefs are asked for.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Generic, TypeVar

Value = TypeVar("Value")

DEFAULT_MAX_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class BriefKey:
    kind: str
    key: str
    language: str
    audience: str
    data_version: str
    made_on: str
    form: str  # "pdf", "html" or "content"


class SizedLru(Generic[Value]):
    """Least-recently-used entries dropped first once the stored sizes pass ``max_bytes``; thread-safe."""

    def __init__(self, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.max_bytes = max_bytes
        self._entries: OrderedDict[BriefKey, tuple[Value, int]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: BriefKey) -> Value | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return entry[0]

    def put(self, key: BriefKey, value: Value, size: int) -> None:
        if size > self.max_bytes:
            return  # larger than the whole cache: keeping it would evict everything else
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= old[1]
            self._entries[key] = (value, size)
            self._bytes += size
            while self._bytes > self.max_bytes and self._entries:
                _key, (_value, dropped) = self._entries.popitem(last=False)
                self._bytes -= dropped

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def stored_bytes(self) -> int:
        return self._bytes
