"""Segment filters contributed by other apps (crm never imports them): e.g. outreach registers
"rsvp" so that a segment can hold "accepted any stop of roadshow X" or "invited, no answer".

A filter has a name, the choices staff pick from (values "<name>:<argument>") and a function
turning an argument into a Q over crm.Person. Register one in your app's ready():

    register_segment_filter("rsvp", choices=rsvp_choices, q=rsvp_q)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q


@dataclass(frozen=True)
class SegmentFilter:
    name: str
    choices: Callable[[], list[tuple[str, str]]]  # [(argument, label)]
    q: Callable[[str], Q]


_filters: dict[str, SegmentFilter] = {}


def register_segment_filter(
    name: str, *, choices: Callable[[], list[tuple[str, str]]], q: Callable[[str], Q]
) -> None:
    _filters[name] = SegmentFilter(name, choices, q)


def extension_choices() -> list[tuple[str, str]]:
    out = []
    for name, segment_filter in sorted(_filters.items()):
        out += [(f"{name}:{arg}", label) for arg, label in segment_filter.choices()]
    return out


def extension_q(values: list[str]) -> Q:
    """All chosen values (AND, like the other segment filters); unknown ones match nobody."""
    q = Q()
    for value in values or []:
        name, _sep, argument = str(value).partition(":")
        segment_filter = _filters.get(name)
        q &= segment_filter.q(argument) if segment_filter else Q(pk__in=[])
    return q
