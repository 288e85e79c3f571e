"""Fixtures for tests of the public site: the demo content, loaded once per test module and
committed (so that requests, feeds and the sitemap see it), then removed again."""

from __future__ import annotations

import pytest
from django.core.management import call_command


@pytest.fixture(scope="module")
def demo_site(django_db_setup, django_db_blocker):
    from site_cms.services.demo import load_demo_data

    with django_db_blocker.unblock():
        load_demo_data()
        yield
        call_command("flush", interactive=False, verbosity=0)
