"""Settings for bench/rsvp_bench.py: the test settings with persistent connections (as in
production) and one extra URL, the bare peer view (bench/rsvp_peer_urls.py)."""

import os

from config.settings.test import *  # noqa: F403
from config.settings.test import DATABASES

DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("DATABASE_CONN_MAX_AGE", "60"))
ROOT_URLCONF = "bench.rsvp_peer_urls"
# Confirmation tasks are queued to the broker as in production; without REDIS_URL, in memory.
CELERY_BROKER_URL = os.environ.get("REDIS_URL") or "memory://"
# As in production (config/settings/base.py): the site's menu and event titles kept per process
# until a page changes (the test settings turn this off because tests roll pages back).
NAVIGATION_CACHE = True
