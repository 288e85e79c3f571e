import pytest

from outreach.models import WorkerHeartbeat
from outreach.services import system


@pytest.fixture
def staff_member(db, django_user_model):
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user(username="lin", password="pw", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return user


def test_django_admin_is_for_superusers_only(client, staff_member, staff_admin):
    client.force_login(staff_member)
    assert client.get("/django-admin/").status_code == 302  # sent to the login page
    client.force_login(staff_admin)
    assert client.get("/django-admin/").status_code == 200


def test_dashboard_shows_when_a_worker_last_answered(client, staff_member):
    client.force_login(staff_member)
    assert "No worker has answered yet" in client.get("/admin/").content.decode()
    system.record_worker_heartbeat()
    assert "A worker last answered" in client.get("/admin/").content.decode()


def test_worker_check_is_enqueued_after_commit_not_run_in_the_request(
    client, staff_member, django_capture_on_commit_callbacks, monkeypatch
):
    sent = []
    monkeypatch.setattr(
        "outreach.tasks.record_worker_heartbeat.delay", lambda **kw: sent.append(kw)
    )
    client.force_login(staff_member)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/admin/system/worker-check/")
    assert response.status_code == 302
    assert len(sent) == 1
    assert sent[0]["requested_by_pid"] > 0
    assert not WorkerHeartbeat.objects.exists()  # the request itself did not do the work


def test_worker_check_needs_a_staff_login(client, db):
    response = client.post("/admin/system/worker-check/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
