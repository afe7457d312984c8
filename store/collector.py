"""Big reads in worker threads, without the cycle collector stopping every thread.

Reading a big store allocates millions of short-lived objects. Each full collection they
trigger walks every live object and holds the GIL meanwhile: 30-100 ms at 100,000 records,
felt as a stuck cursor on the UI thread, although the UI thread does not read anything.
The reads here make no reference cycles worth collecting (a 100,000-record pack leaves
about fifty objects for the collector), so the collector waits until they are done.

One count for the whole process: the collector runs again when the last read holding it
ends, never in the middle of another one (search index, pack and store layer load
side by side in the app).
"""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator

_lock = threading.Lock()
_holders = 0
_was_enabled = False


@contextlib.contextmanager
def collector_paused(*, freeze_after: bool = False) -> Iterator[None]:
    """Hold the cycle collector for the block (usable as a decorator too).

    ``freeze_after`` moves what is alive afterwards out of later collections
    (``gc.freeze``): for what lives until the process ends (an index, loaded modules).
    """
    global _holders, _was_enabled
    with _lock:
        if _holders == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _holders += 1
    try:
        yield
    finally:
        with _lock:
            _holders -= 1
            if _holders == 0 and _was_enabled:
                gc.enable()
        if freeze_after:
            gc.freeze()
