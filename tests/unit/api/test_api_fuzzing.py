"""Schemathesis against /api/v1/ (in-process, through Django's WSGI application): generated
valid and invalid requests to every operation, then a stateful run that chains operations
through their links. Every answer must be documented and match its schema; none may be a
server error. Fixed seed and bounded examples: a couple of minutes on two cores."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.factories import UserFactory

EXAMPLES = 10  # per operation and generation mode (valid, invalid)
SCENARIOS = 25  # stateful: sequences of linked operations
STEPS = 6
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def _schema_dict() -> dict:
    api = APIClient()
    api.force_authenticate(UserFactory(is_superuser=True, username="schema-reader"))
    response = api.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    return response.json()


@pytest.fixture
def api_schema(db) -> dict:
    return _schema_dict()


@pytest.fixture
def wsgi_app(api_schema):
    """Django's WSGI application inside the test's transaction: like Django's test client, keep
    the end of each request from closing the connection (and with it the transaction)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def fuzz_token(db) -> str:
    user = UserFactory(is_superuser=True, username="fuzzer")
    return Token.objects.create(user=user).key


@pytest.mark.django_db
@pytest.mark.slow
def test_no_operation_answers_with_a_server_error_or_off_schema(fuzz_token, api_schema, wsgi_app):
    # (the test client that read the schema reconnects the signals: wsgi_app comes after it)
    schema = schemathesis.openapi.from_dict(api_schema)
    app = wsgi_app
    failures: list[str] = []
    calls: list[str] = []
    headers = {"Authorization": f"Token {fuzz_token}", "Accept-Language": "en"}

    for result, mode in (
        (result, mode)
        for result in schema.get_all_operations()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
    ):
        operation = result.ok()

        @settings(
            max_examples=EXAMPLES,
            derandomize=True,
            database=None,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            report_multiple_bugs=False,
        )
        @given(case=operation.as_strategy(generation_mode=mode))
        def run(case):
            try:
                case.call_and_validate(app=app, headers=headers, checks=CHECKS)
            except Exception as exc:
                failures.append(f"{case.operation.label}: {str(exc)[:1500]}")
                raise

        try:
            run()
        except Exception as exc:  # the failing example was recorded above; else say why
            if not failures or not failures[-1].startswith(operation.label):
                failures.append(f"{operation.label}: {type(exc).__name__}: {str(exc)[:600]}")
        calls.append(operation.label)
    assert len(calls) > 80, calls
    assert failures == []


@pytest.mark.django_db
@pytest.mark.slow
def test_sequences_of_linked_operations_answer_within_the_schema(fuzz_token, api_schema, wsgi_app):
    schema = schemathesis.openapi.from_dict(api_schema)
    headers = {"Authorization": f"Token {fuzz_token}", "Accept-Language": "en"}

    steps: list[str] = []

    class Sequences(schema.as_state_machine()):
        def get_call_kwargs(self, case):
            steps.append(case.operation.label)
            return {"app": wsgi_app, "headers": headers}

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            case.validate_response(response, checks=CHECKS, transport_kwargs=kwargs)

    Sequences.run(
        settings=settings(
            max_examples=SCENARIOS,
            stateful_step_count=STEPS,
            derandomize=True,
            database=None,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )
    )
    # chains really ran: more calls than scenarios, over several operations
    assert len(steps) > SCENARIOS
    assert len(set(steps)) > 5
