"""Development: embedded defaults, debug on."""

from config.env import env, env_bool

from .base import *  # noqa: F403
from .base import ANYMAIL

DEBUG = env_bool("DEBUG", True)
if not env("ESP"):
    # `make run` starts the ESP simulator on this address: it is the outbox the user opens.
    _outbox = env("OUTBOX_URL", "http://127.0.0.1:8025/")
    OUTBOX_URL = _outbox
    EMAIL_BACKEND = "anymail.backends.postmark.EmailBackend"
    ANYMAIL["POSTMARK_SERVER_TOKEN"] = "development"
    ANYMAIL["POSTMARK_API_URL"] = _outbox

# A dummy machine translator in development, so the translation workflow can be tried offline.
if "WAGTAILLOCALIZE_MACHINE_TRANSLATOR" not in globals():
    WAGTAILLOCALIZE_MACHINE_TRANSLATOR = {
        "CLASS": "wagtail_localize.machine_translators.dummy.DummyTranslator",
        "OPTIONS": {},
    }

# Static files straight from the apps, no collectstatic needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
