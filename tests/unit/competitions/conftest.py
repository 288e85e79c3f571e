import pytest


@pytest.fixture(autouse=True)
def eager_tasks():
    """Tasks queued after commit run right here (the services queue them with .delay)."""
    from config.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """The form's hourly limit per client address counts in the cache: start each test anew."""
    from django.core.cache import cache

    cache.clear()
