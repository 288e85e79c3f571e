"""Choosing where uploaded media live from the environment (config/storage.py)."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.storage import media_storage


def test_media_stay_on_the_filesystem_when_no_bucket_is_configured():
    assert media_storage({}) == {"BACKEND": "django.core.files.storage.FileSystemStorage"}


def test_a_bucket_selects_s3_compatible_storage_with_its_endpoint_region_and_keys():
    storage = media_storage(
        {
            "MEDIA_S3_BUCKET": "liaison-media",
            "MEDIA_S3_ENDPOINT_URL": "https://minio.office.example:9000",
            "MEDIA_S3_REGION": "cn-east-1",
            "MEDIA_S3_ACCESS_KEY_ID": "key",
            "MEDIA_S3_SECRET_ACCESS_KEY": "secret",
        }
    )
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    options = storage["OPTIONS"]
    assert options["bucket_name"] == "liaison-media"
    assert options["endpoint_url"] == "https://minio.office.example:9000"
    assert options["region_name"] == "cn-east-1"
    assert (options["access_key"], options["secret_key"]) == ("key", "secret")
    assert options["querystring_auth"] is True  # private bucket: signed URLs
    assert options["file_overwrite"] is False


def test_a_public_media_domain_gives_plain_urls():
    options = media_storage(
        {"MEDIA_S3_BUCKET": "b", "MEDIA_S3_CUSTOM_DOMAIN": "media.liaison.example.org"}
    )["OPTIONS"]
    assert options["custom_domain"] == "media.liaison.example.org"
    assert options["querystring_auth"] is False
    assert options["access_key"] is None  # boto3's own credential chain (instance role, ...)


def test_half_a_key_pair_is_refused_with_the_variables_named():
    with pytest.raises(ImproperlyConfigured, match="MEDIA_S3_SECRET_ACCESS_KEY"):
        media_storage({"MEDIA_S3_BUCKET": "b", "MEDIA_S3_ACCESS_KEY_ID": "key"})
