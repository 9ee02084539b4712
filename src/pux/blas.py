"""numpy's BLAS kept to one thread while a request computes."""

from __future__ import annotations

import sys
import threading
from typing import Any

from threadpoolctl import ThreadpoolController


class OneBlasThread:
    """Limits numpy's BLAS to one thread while any guarded call runs, and restores it after the last one.
    A request's numpy work runs on one core: the other serves the other requests (and the same request's
    SQL), where BLAS's own threads would spin against them.

    The limit is process-wide: concurrent requests share one limit (entered by the first, lifted by the
    last), so that none lifts it under another and none leaves it on for good."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._active = 0
        self._limiter: Any = None
        self._controller: ThreadpoolController | None = None
        self._modules_seen = -1

    def __enter__(self) -> None:
        with self._lock:
            if self._active == 0:
                self._limiter = self._current_controller().limit(limits=1, user_api="blas")
            self._active += 1

    def _current_controller(self) -> ThreadpoolController:
        """The loaded thread pools, looked up again only when a module was imported since the last look:
        a BLAS loaded after start-up (scipy's own) must be limited too, but the look-up reads the process's
        memory map, which cost the SDG tagger a millisecond and a half per text when done on every call."""
        if self._controller is None or len(sys.modules) != self._modules_seen:
            self._modules_seen = len(sys.modules)
            self._controller = ThreadpoolController()
        return self._controller

    def __exit__(self, *exc: object) -> None:
        with self._lock:
            self._active -= 1
            if self._active == 0:
                self._limiter.restore_original_limits()
                self._limiter = None


# One guard for the whole process: the tagger and the search (and taggers built side by side in tests and
# tools) share the limit, so that one cannot lift it under another's running call.
ONE_BLAS_THREAD = OneBlasThread()
