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

# Static files straight from the apps, no collectstatic needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
