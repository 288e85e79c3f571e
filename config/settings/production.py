"""Production: refuses to start without its secrets; passes `manage.py check --deploy`."""

from config.email import webhook_protection
from config.env import env_bool, env_int, env_list, env_required

from .base import *  # noqa: F403
from .base import ANYMAIL, ESP

DEBUG = False
SECRET_KEY = env_required("SECRET_KEY", "a long random string; never commit it")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [])
if not ALLOWED_HOSTS:
    env_required("ALLOWED_HOSTS", "comma-separated host names this site answers to")
env_required("DATABASE_URL", "postgres://user:password@host:5432/liaison")
# Unauthenticated tracking webhooks would let anyone suppress addresses or pause campaigns.
if not webhook_protection(ANYMAIL, ESP):
    env_required(
        "ANYMAIL_WEBHOOK_SECRET",
        "user:password for the ESP's tracking webhooks; or ESP_WEBHOOK_SIGNING_KEY for an ESP "
        "that signs them",
    )

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
STORAGES = {
    **STORAGES,  # media: the filesystem or an S3 bucket, as in base
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
