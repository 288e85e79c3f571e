"""Facts computed once per request and shared by everything that renders the page.

A public page asks the same questions several times while it is built: which locales exist,
which sections are private (for every `.public()` listing), where the home page is. The answers
cannot change while one request is answered, so they are kept for the request's duration and
dropped when it ends (Django's request_started / request_finished signals). Outside a request
(shell, tests calling models directly, Celery) nothing is kept and every call computes afresh.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from asgiref.local import Local
from django.core.signals import request_finished, request_started

T = TypeVar("T")

_state = Local()


def _start(**_kwargs) -> None:
    _state.memo = {}


def _finish(**_kwargs) -> None:
    _state.memo = None


def memoize(key: str, compute: Callable[[], T]) -> T:
    """`compute()` once per request under `key`; every call outside a request computes."""
    memo = getattr(_state, "memo", None)
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def connect() -> None:
    request_started.connect(_start, dispatch_uid="site_cms_request_memo_start")
    request_finished.connect(_finish, dispatch_uid="site_cms_request_memo_finish")
