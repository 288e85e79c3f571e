"""The Celery application. Broker and schedule come from Django settings (``CELERY_*``)."""

import os

from celery import Celery

# workers survive a Redis restart; a second beat stands by and says so (see each module)
from config import broker_restart, single_beat  # noqa: F401

# A worker is production unless told otherwise (development: devtools/run.py sets dev).
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

app = Celery("liaison")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.on_after_configure.connect(single_beat.name_redbeat_settings, weak=False)
app.autodiscover_tasks()
