"""What Liaison knows about each email service provider (ESP): one module per ESP, here.

Sending goes through django-anymail, so any ESP anymail supports works by naming it (``ESP``,
see ``config/email.py``) with no module at all. A module ``outreach/esp/<name>.py`` (the name
anymail gives the ESP, lower case) holds what differs for that ESP, and only that; every hook is
optional:

``CREDENTIAL_NAME``
    anymail's name for the main credential, where it is not ``API_KEY`` (``ESP_API_KEY`` is
    mapped to ``ANYMAIL["<ESP>_<CREDENTIAL_NAME>"]``).
``WEBHOOK_SIGNATURE_NAME``
    anymail's name for the key that verifies the ESP's signed tracking webhooks
    (``ESP_WEBHOOK_SIGNING_KEY``); absent when the ESP does not sign them.
``BACKEND``
    the ``EMAIL_BACKEND`` to use, when Liaison extends anymail's (Resend: idempotency keys).
``classify_error(exc) -> SendResult | None``
    what an error answer of this ESP means for the message (``None``: the generic rules of
    ``outreach.services.esp.classify_exception`` decide).
``batch_sender(connection) -> callable | None``
    a function sending many messages in one request, when the ESP has such an API.
``failure_of(event_type, reject_reason, payload) -> Failure | None | UNDECIDED``
    hard or soft bounce, from the ESP's own payload where anymail's normalised event is not
    precise enough (``UNDECIDED``: the generic rules of ``outreach.services.tracking``).
``Simulator``
    a ``SimulatedApi`` subclass (``outreach/esp/_simulation.py``): how the development ESP
    simulator (``devtools/esp_simulator``) plays this ESP's send API (paths, credentials,
    errors, answers, idempotency) and, where it has them, its tracking webhooks in the ESP's own
    payload format. Postmark and Resend have one; an ESP with one can be developed and tested
    without its servers (``ESP=<esp>``, ``ESP_API_URL`` = the simulator's address).

This package imports no Django models: ``config/email.py`` reads it while settings load."""

from __future__ import annotations

import enum
import importlib
import pkgutil
from dataclasses import dataclass
from functools import cache
from types import ModuleType
from typing import NamedTuple


class Outcome(enum.Enum):
    SENT = "sent"
    TRANSIENT = "transient"
    PERMANENT = "permanent"
    AMBIGUOUS = "ambiguous"


@dataclass(frozen=True)
class SendResult:
    outcome: Outcome
    esp_message_id: str = ""
    reason: str = ""
    # AMBIGUOUS only: the ESP holds a *different* request under this message's idempotency key,
    # so retrying under the same key cannot settle it (Resend's 409 invalid_idempotent_request).
    key_conflict: bool = False


class Failure(NamedTuple):
    """A delivery failure the ESP reported: hard (permanent) or soft, and whether the address
    goes on the suppression list."""

    hard: bool
    suppress: bool = False


HARD = Failure(hard=True)
HARD_BAD_ADDRESS = Failure(hard=True, suppress=True)
SOFT = Failure(hard=False)
# A failure_of hook's answer for "not mine to say": the generic rules decide.
UNDECIDED = object()


@cache
def modules() -> dict[str, ModuleType]:
    """Every ESP module in this package, by ESP name."""
    return {
        info.name: importlib.import_module(f"{__name__}.{info.name}")
        for info in pkgutil.iter_modules(__path__)
        if not info.name.startswith("_")
    }


def module_for(esp: str | None) -> ModuleType | None:
    """The module of ``esp`` (anymail's ESP name, any case), or None when it needs none."""
    return modules().get((esp or "").strip().lower().replace(" ", "_"))


def credential_name(esp: str) -> str:
    return getattr(module_for(esp), "CREDENTIAL_NAME", "API_KEY")


def webhook_signature_name(esp: str) -> str | None:
    return getattr(module_for(esp), "WEBHOOK_SIGNATURE_NAME", None)


def backend(esp: str) -> str:
    default = f"anymail.backends.{esp}.EmailBackend"
    return getattr(module_for(esp), "BACKEND", default)


def simulators() -> dict:
    """Every ESP's ``Simulator`` (an instance), by ESP name."""
    return {name: m.Simulator() for name, m in modules().items() if hasattr(m, "Simulator")}


def hooks(name: str) -> list:
    """Every ESP module's ``name`` hook (for errors that do not say which ESP raised them)."""
    return [getattr(m, name) for m in modules().values() if hasattr(m, name)]
