"""The English councils with children's services, by the official list, and the trusts that
run some of them.

``store/data/councils.csv`` is the DfE/ONS list (Open Government Licence v3.0): each council's
ONS code, DfE code and name, other names it goes by, and, for a council merged or split
since (Bournemouth, Poole, the old Dorset, Buckinghamshire, Northamptonshire, Cumbria, North
Yorkshire and Somerset councils), the day it ended and the councils that followed it. A
report names its council in many ways ("Royal Borough of Greenwich", "Cheshire East Unitary
Authority", "Council of the Isles of Scilly", "Bristol City Council"); :func:`match_council`
finds the one council it means, in force on the inspection's date, or nothing: a report is
never stored under a guessed name. ``store/data/trusts.csv`` maps the trusts that deliver
some councils' children's services ("Bradford Children and Families Trust") to their council.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources


@dataclass(frozen=True, slots=True)
class Council:
    code: str  # ONS code, E06/E08/E09/E10...
    dfe_code: str
    name: str
    other_names: tuple[str, ...] = ()
    start: date | None = None  # None: before any report we read
    end: date | None = None  # None: still in being
    succeeded_by: tuple[str, ...] = ()

    def in_force(self, on: date | None) -> bool:
        if on is None:
            return self.end is None
        return (self.start is None or self.start <= on) and (self.end is None or on <= self.end)


# Words around a council's name that are not part of it, in the order they are peeled off.
# Longest first, so "metropolitan borough council" goes as one piece.
_PREFIXES = (
    "council of the", "the council of", "london borough of", "royal borough of",
    "metropolitan borough of", "city and county of", "borough of", "city of", "county of",
    "the",
)  # fmt: skip
_SUFFIXES = (
    "local authority children's services", "children's services", "children's social care",
    "local authority", "unitary authority", "metropolitan borough council",
    "metropolitan district council", "borough council", "city council", "county council",
    "district council", "council", "metropolitan borough", "borough", "city", "county",
    "corporation", "city of", "county of", "metropolitan", "district",
)  # fmt: skip


def _key(name: str) -> str:
    text = name.lower().replace("’", "'").replace("&", " and ")
    text = re.sub(r"[.,;:()\[\]]", " ", text).replace("-", " ")
    return " ".join(text.split())


def _peeled(name: str) -> list[str]:
    """The name's key, then the keys left as words around it are peeled off one by one."""
    keys = [_key(name)]
    key = keys[0]
    changed = True
    while changed:
        changed = False
        for prefix in _PREFIXES:
            if key.startswith(prefix + " "):
                key = key[len(prefix) + 1 :]
                keys.append(key)
                changed = True
        for suffix in _SUFFIXES:
            if key.endswith(" " + suffix):
                key = key[: -len(suffix) - 1]
                keys.append(key)
                changed = True
    return keys


def _unsuffixed(name: str) -> str:
    key = _key(name)
    changed = True
    while changed:
        changed = False
        for suffix in _SUFFIXES:
            if key.endswith(" " + suffix):
                key = key[: -len(suffix) - 1]
                changed = True
    return key


def _day(text: str) -> date | None:
    return date.fromisoformat(text) if text else None


@cache
def councils() -> tuple[Council, ...]:
    """Every council on the list, former ones included."""
    text = resources.files("store").joinpath("data/councils.csv").read_text(encoding="utf-8")
    out = []
    for row in csv.DictReader(text.splitlines()):
        out.append(
            Council(
                code=row["ons_code"],
                dfe_code=row["dfe_code"],
                name=row["name"],
                other_names=tuple(n.strip() for n in row["other_names"].split(";") if n.strip()),
                start=_day(row["from"]),
                end=_day(row["until"]),
                succeeded_by=tuple(row["succeeded_by"].split()),
            )
        )
    return tuple(out)


@cache
def trusts() -> dict[str, str]:
    """Each trust's name (as :func:`_key` has it) and the ONS code of the council it serves."""
    text = resources.files("store").joinpath("data/trusts.csv").read_text(encoding="utf-8")
    return {_key(row["name"]): row["council_ons_code"] for row in csv.DictReader(text.splitlines())}


@cache
def _index() -> dict[str, tuple[Council, ...]]:
    found: dict[str, list[Council]] = {}
    for council in councils():
        for name in (council.name, *council.other_names):
            # A name's own words, and those left without its suffixes ("Bedford Borough"
            # is also "Bedford"); never without its prefixes ("City of London" is not
            # "London").
            for key in {_key(name), _unsuffixed(name)}:
                if council not in found.setdefault(key, []):
                    found[key].append(council)
    return {key: tuple(value) for key, value in found.items()}


def council_by_code(code: str) -> Council | None:
    return next((c for c in councils() if c.code == code), None)


def match_council(name: str, on: date | None = None) -> Council | None:
    """The council ``name`` means, as a report or a person writes it, in force on ``on``
    (the inspection's start), or None when it is no council on the list, or could be more
    than one. A trust's name gives the council it serves."""
    key = _key(name)
    if not key:
        return None
    trust = trusts().get(key) or trusts().get(_peeled(name)[-1])
    if trust:
        return council_by_code(trust)
    index = _index()
    for candidate in _peeled(name):
        found = index.get(candidate)
        if not found:
            continue
        if len(found) == 1:
            return found[0]
        in_force = [c for c in found if c.in_force(on)]
        return in_force[0] if len(in_force) == 1 else None
    return None


@cache
def _neighbour_codes() -> dict[str, tuple[str, ...]]:
    """Each council's statistical neighbours (ONS codes, in the DfE's order), from
    ``store/data/neighbours.csv``."""
    text = resources.files("store").joinpath("data/neighbours.csv").read_text(encoding="utf-8")
    return {
        row["ons_code"]: tuple(row["statistical_neighbours"].split())
        for row in csv.DictReader(text.splitlines())
    }


def statistical_neighbours(code: str) -> tuple[Council, ...]:
    """The statistical neighbours of the council with ONS ``code``: the DfE's comparator set
    of ten councils, in its order, or () for a council the list gives none (a former council,
    or one not on the list)."""
    found = (council_by_code(c) for c in _neighbour_codes().get(code, ()))
    return tuple(c for c in found if c is not None)
