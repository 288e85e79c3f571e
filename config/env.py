"""Reading configuration from the environment.

Every setting Liaison takes from outside comes through these helpers, so that a missing secret in
production fails loudly at start-up with the variable's name, never later with a vague error.
"""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured


def env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value


def env_required(name: str, why: str = "") -> str:
    """Return the variable or refuse to start, naming it."""
    value = os.environ.get(name, "")
    if not value.strip():
        hint = f" ({why})" if why else ""
        raise ImproperlyConfigured(f"The environment variable {name} must be set{hint}.")
    return value


def env_bool(name: str, default: bool = False) -> bool:
    value = env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = env(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    value = env(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]
