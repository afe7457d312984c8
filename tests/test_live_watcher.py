"""Two looks at the store's change counter at once (the app's poll, and on PostgreSQL the
announcement of a write) say each change once: the second look sees what the first took."""

from __future__ import annotations

import threading
import time
from typing import Any

import store as api
from store import Store, open_store
from tui.live import Look, StoreWatcher


def test_two_looks_at_once_say_someone_elses_change_once(store: Store, monkeypatch: Any) -> None:
    sam = StoreWatcher(store, lambda _look: None)
    assert sam.look() is not None  # the first look takes the counter as it stands
    alex = open_store(store.path, user="Alex Khan")
    try:
        api.create_action(alex, title="Audit CP plans monthly", owner="Alex Khan")
    finally:
        alex.close()
    real = api.history_since

    def slow(*args: Any, **kwargs: Any) -> Any:
        time.sleep(0.3)  # the other look starts meanwhile
        return real(*args, **kwargs)

    monkeypatch.setattr(api, "history_since", slow)
    found: list[Look | None] = []
    looks = [threading.Thread(target=lambda: found.append(sam.look())) for _ in range(2)]
    for look in looks:
        look.start()
    for look in looks:
        look.join(10)
    said = [e.label for f in found if f is not None for e in f.entries]
    assert said == ["A1 Audit CP plans monthly"], said
