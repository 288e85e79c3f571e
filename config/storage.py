"""Where uploaded media (Wagtail images and their renditions, documents) are kept.

Embedded default: files under ``MEDIA_ROOT`` on this machine. With ``MEDIA_S3_BUCKET`` set, an
S3-compatible object store through django-storages (Amazon S3, MinIO, Ceph, Alibaba OSS, Tencent
COS, ...), so that web and worker processes on several machines see the same files."""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ImproperlyConfigured

FILESYSTEM = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
TRUE = {"1", "true", "yes", "on"}


def media_storage(environ: Mapping[str, str]) -> dict[str, object]:
    """The ``STORAGES["default"]`` entry the environment asks for."""
    bucket = (environ.get("MEDIA_S3_BUCKET") or "").strip()
    if not bucket:
        return dict(FILESYSTEM)
    key_id = environ.get("MEDIA_S3_ACCESS_KEY_ID") or None
    secret = environ.get("MEDIA_S3_SECRET_ACCESS_KEY") or None
    if bool(key_id) != bool(secret):
        raise ImproperlyConfigured(
            "Set both MEDIA_S3_ACCESS_KEY_ID and MEDIA_S3_SECRET_ACCESS_KEY, or neither (then "
            "boto3 finds credentials itself: AWS_* variables, an instance role, ...)."
        )
    options: dict[str, object] = {
        "bucket_name": bucket,
        "endpoint_url": environ.get("MEDIA_S3_ENDPOINT_URL") or None,
        "region_name": environ.get("MEDIA_S3_REGION") or None,
        "access_key": key_id,
        "secret_key": secret,
        "location": (environ.get("MEDIA_S3_PREFIX") or "").strip("/"),
        # Public URLs on a CDN or the bucket's own domain; else signed, expiring URLs.
        "custom_domain": environ.get("MEDIA_S3_CUSTOM_DOMAIN") or None,
        "querystring_auth": not environ.get("MEDIA_S3_CUSTOM_DOMAIN"),
        "querystring_expire": int(environ.get("MEDIA_S3_URL_SECONDS") or 3600),
        # The bucket's own policy decides who may read; objects carry no ACL of their own.
        "default_acl": None,
        # Two uploads of "logo.png" never overwrite each other (Wagtail relies on unique names).
        "file_overwrite": False,
        # MinIO and most self-hosted stores only answer path-style requests.
        "addressing_style": (
            "path"
            if (environ.get("MEDIA_S3_PATH_STYLE") or "true").strip().lower() in TRUE
            else "virtual"
        ),
    }
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}
