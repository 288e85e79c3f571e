"""Limits on guessing and flooding: admin login lockout (django-axes), password reset requests,
API throttles, and the OpenAPI schema for staff only."""

from __future__ import annotations

import pytest
from django.core.cache import caches
from rest_framework.test import APIClient

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
LOGIN = "/admin/login/"
LOCAL_CACHES = {
    alias: {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": alias}
    for alias in ("default", "pages", "renditions")
}


@pytest.fixture
def local_cache(settings):
    settings.CACHES = LOCAL_CACHES
    caches["default"].clear()
    return caches["default"]


def _login(client, password: str):
    return client.post(LOGIN, {"username": "ada", "password": password}, REMOTE_ADDR="192.0.2.7")


def test_admin_login_locks_out_after_repeated_failures_even_with_the_right_password(
    client, settings
):
    settings.AXES_FAILURE_LIMIT = 3
    UserFactory(username="ada", password="right-password", is_superuser=True)
    for _ in range(2):
        assert _login(client, "wrong").status_code == 200  # the form again, with its error
    assert _login(client, "wrong").status_code == 429  # the third failure locks
    locked = _login(client, "right-password")
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_one_failure_then_the_right_password_signs_in(client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    UserFactory(username="ada", password="right-password", is_superuser=True)
    _login(client, "wrong")
    assert _login(client, "right-password").status_code == 302
    assert "_auth_user_id" in client.session


def test_a_forged_forwarded_for_header_does_not_escape_the_lockout(client, settings):
    settings.AXES_FAILURE_LIMIT = 2
    settings.AXES_LOCKOUT_PARAMETERS = ["ip_address"]
    UserFactory(username="ada", password="right-password", is_superuser=True)
    for n in range(2):
        client.post(
            LOGIN,
            {"username": f"guess{n}", "password": "x"},
            REMOTE_ADDR="192.0.2.7",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}",
        )
    response = client.post(
        LOGIN,
        {"username": "ada", "password": "right-password"},
        REMOTE_ADDR="192.0.2.7",
        HTTP_X_FORWARDED_FOR="198.51.100.99",
    )
    assert response.status_code == 429


def test_password_reset_requests_are_limited_per_address(client, settings, local_cache, mailoutbox):
    settings.PASSWORD_RESET_PER_HOUR = 2
    UserFactory(username="ada", email="ada@office.invalid")
    for n in range(4):
        response = client.post(
            "/admin/password_reset/", {"email": "ada@office.invalid"}, REMOTE_ADDR=f"192.0.2.{n}"
        )
        assert response.status_code == 302  # the same answer whether sent or not
    assert len(mailoutbox) == 2


def test_api_throttles_each_user(settings, local_cache):
    settings.API_RATE_USER = "3/minute"
    api = APIClient()
    api.force_authenticate(UserFactory(is_superuser=True))
    codes = [api.get("/api/v1/segments/").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]


def test_openapi_schema_is_for_staff_only():
    schema = "/api/v1/schema/"
    assert APIClient().get(schema).status_code in (401, 403)
    outsider = APIClient()
    outsider.force_authenticate(UserFactory(is_staff=False, username="outsider"))
    assert outsider.get(schema).status_code == 403
    staff = APIClient()
    staff.force_authenticate(UserFactory(is_superuser=True))
    assert staff.get(schema).status_code == 200
