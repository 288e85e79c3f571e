import pytest


@pytest.fixture(autouse=True)
def eager_tasks():
    """Tasks queued after commit run right here (the services queue them with .delay)."""
    from config.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous
