"""Tests: the same settings as development, on whatever DATABASE_URL / REDIS_URL say.

Embedded-mode state (SQLite file, filesystem broker) goes to var/test unless LIAISON_DATA_DIR says
otherwise; the variable is set here, before the base settings read it, so that worker processes
started by integration tests inherit it and share the test database and broker."""

import os
from pathlib import Path

os.environ.setdefault("LIAISON_DATA_DIR", str(Path(__file__).resolve().parents[2] / "var" / "test"))

from .base import *  # noqa: F403
from .base import DATA_DIR, DATABASES

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory, so that worker processes started by integration tests see the same data.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test-liaison.sqlite3")}
# Static files straight from the apps, no collectstatic needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# The whole-page cache outlives a test run (files or Redis) while test databases do not: off unless
# a test turns it on (with its own in-memory cache).
PAGE_CACHE_SECONDS = 0
# Likewise the process-wide menu: tests roll back pages without publishing anything, which the
# generation number would not notice. Tests of the menu cache turn it on themselves.
NAVIGATION_CACHE = False
# Uploaded images are served by Django in tests (browser tests load them); production leaves
# /media/ to the web server.
SERVE_MEDIA = True

# Threads of the live test server open their own connections; with a connection lifetime they
# outlive the test and keep the test database from being dropped.
DATABASES["default"]["CONN_MAX_AGE"] = 0

# Counters in a shared Redis outlive a test: API throttles are off unless a test turns them on.
API_RATE_USER = None
# Tests read the admin in the language their client asks for (English unless a test chooses
# Chinese); tests of the office-language default set LIAISON_ADMIN_LANGUAGE themselves.
LIAISON_ADMIN_LANGUAGE = ""
