"""One `migrate` on an empty database leaves complete roles: each role's API access is what
the access matrix says, with no second migrate and no `is_staff` flag (Wagtail's user editor
never sets it). Runs `manage.py` in a child process on a new SQLite database."""

import json
import subprocess
import sys

from tests.support import ROOT, clean_env

PROBE = r"""
import json
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from rest_framework.authtoken.models import Token

statuses = {}
for role in ["Viewer", "Officer", "Campaign manager", "Administrator"]:
    user = get_user_model().objects.create_user(username=role.replace(" ", "_"), is_staff=False)
    user.groups.add(Group.objects.get(name=role))
    client = Client(HTTP_AUTHORIZATION="Token " + Token.objects.create(user=user).key)
    statuses[role] = {
        path: client.get(path).status_code
        for path in ["/api/v1/people/", "/api/v1/segments/", "/api/v1/campaigns/"]
    }
print("STATUSES" + json.dumps(statuses))
"""


def test_one_migrate_on_an_empty_database_gives_every_role_its_api_access(tmp_path):
    env = clean_env()
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    env["LIAISON_DATA_DIR"] = str(tmp_path)
    env["ALLOWED_HOSTS"] = "testserver"
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--no-input", "-v", "0"], env=env, check=True, cwd=ROOT)
    out = subprocess.run(
        [*manage, "shell", "-c", PROBE],
        env=env,
        check=True,
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout
    statuses = json.loads(out.split("STATUSES", 1)[1])
    people, segments, campaigns = "/api/v1/people/", "/api/v1/segments/", "/api/v1/campaigns/"
    assert statuses["Viewer"] == {people: 200, segments: 200, campaigns: 403}
    assert statuses["Officer"] == {people: 200, segments: 200, campaigns: 403}
    assert statuses["Campaign manager"] == {people: 200, segments: 200, campaigns: 200}
    assert statuses["Administrator"] == {people: 200, segments: 200, campaigns: 200}
