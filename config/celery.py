"""The Celery application. Broker and schedule come from Django settings (``CELERY_*``)."""

import os

from celery import Celery

from config import broker_restart  # noqa: F401  (workers survive a Redis restart; see there)

# A worker is production unless told otherwise (development: devtools/run.py sets dev).
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

app = Celery("liaison")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
