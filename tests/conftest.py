import os

import pytest

# Playwright's sync API (tests/browser) keeps an event loop running in the main thread for the
# whole session, which makes Django refuse ORM calls made by later tests. Liaison has no async
# code, so the check is off for the test process; child processes never inherit it (support.py).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
from django.utils import translation


@pytest.fixture(autouse=True)
def _english():
    """Tests read English text unless they choose another language."""
    with translation.override("en"):
        yield


@pytest.fixture
def client():
    """A browser that asks for English; the admin otherwise follows Accept-Language, then the
    site's default language (Simplified Chinese)."""
    from django.test import Client

    return Client(headers={"accept-language": "en"})


@pytest.fixture
def site_structure(db):
    from site_cms.services.site_setup import ensure_site_structure

    return ensure_site_structure()


@pytest.fixture
def staff_admin(db, django_user_model):
    return django_user_model.objects.create_user(
        username="ada", password="correct horse battery", is_staff=True, is_superuser=True
    )
