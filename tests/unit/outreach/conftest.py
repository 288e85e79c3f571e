import pytest


@pytest.fixture
def eager_tasks():
    """Tasks queued after commit run right here (the services queue them with .delay)."""
    from config.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed(): ...` runs what the services schedule after commit (mail, CRM)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
