"""Settings for bench/campaign_bench.py: the test settings plus django-post_office (the peer we
measure against), sending through the same anymail backend and simulator."""

import os

from config.settings.test import *  # noqa: F403
from config.settings.test import DATABASES, INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "post_office"]
POST_OFFICE = {
    # the same anymail backend Liaison uses (ESP/ESP_API_URL from the environment)
    "BACKENDS": {"default": EMAIL_BACKEND},  # noqa: F405
}

# The test settings close the database connection after every request (for live-server tests);
# the benchmark measures the production configuration: persistent connections (base.py's
# DATABASE_CONN_MAX_AGE, 60 s by default), so a webhook does not pay a PostgreSQL login.
DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("DATABASE_CONN_MAX_AGE", "60"))
