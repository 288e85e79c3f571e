"""Settings for bench/import_bench.py: the test settings plus django-import-export (the peer)."""

import os

from config.settings.test import *  # noqa: F403
from config.settings.test import DATABASES, INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "import_export"]
DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("DATABASE_CONN_MAX_AGE", "60"))
