"""Big reads in worker threads hold the cycle collector, and always give it back."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator

import pytest

from store.collector import collector_paused


@pytest.fixture(autouse=True)
def collecting() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    yield
    (gc.enable if was else gc.disable)()


def test_the_collector_waits_for_the_last_of_two_reads_side_by_side() -> None:
    first_in = threading.Event()
    second_in = threading.Event()
    first_done = threading.Event()
    seen: dict[str, bool] = {}

    def first() -> None:
        with collector_paused():
            first_in.set()
            second_in.wait(5)
        first_done.set()

    def second() -> None:
        first_in.wait(5)
        with collector_paused():
            second_in.set()
            first_done.wait(5)
            seen["after the first ended"] = gc.isenabled()
        seen["after both ended"] = gc.isenabled()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert seen == {"after the first ended": False, "after both ended": True}


def test_an_error_in_the_read_still_gives_the_collector_back() -> None:
    with pytest.raises(ValueError), collector_paused():
        assert not gc.isenabled()
        raise ValueError("the store went away")
    assert gc.isenabled()


def test_a_collector_already_off_stays_off() -> None:
    gc.disable()
    with collector_paused():
        pass
    assert not gc.isenabled()


def test_as_a_decorator_each_call_holds_it_afresh() -> None:
    @collector_paused()
    def read() -> bool:
        return gc.isenabled()

    assert [read(), read()] == [False, False]
    assert gc.isenabled()
