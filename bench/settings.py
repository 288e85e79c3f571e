"""Settings for bench/campaign_bench.py: the test settings plus django-post_office (the peer we
measure against), sending through the same anymail backend and simulator."""

from config.settings.test import *  # noqa: F403
from config.settings.test import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "post_office"]
POST_OFFICE = {
    # the same anymail backend Liaison uses (ESP/ESP_API_URL from the environment)
    "BACKENDS": {"default": EMAIL_BACKEND},  # noqa: F405
}
