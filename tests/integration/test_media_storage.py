"""Uploaded media in an S3-compatible bucket (MEDIA_S3_*): Wagtail images, their renditions and
documents, against a local S3 server (moto's server mode) in its own process."""

from __future__ import annotations

import io
import subprocess
import sys

import boto3
import pytest
import requests
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.test import override_settings
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from config.storage import media_storage
from tests.support import free_port, stop, wait_until

pytestmark = [pytest.mark.integration, pytest.mark.django_db]
BUCKET = "liaison-media"


@pytest.fixture(scope="module")
def s3_endpoint():
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: requests.get(url, timeout=2).ok, timeout=60, what="moto's S3 server")
        yield url
    finally:
        stop(proc)


@pytest.fixture
def bucket(s3_endpoint, monkeypatch):
    """A fresh bucket, and Django's default storage configured from MEDIA_S3_* variables."""
    environ = {
        "MEDIA_S3_BUCKET": BUCKET,
        "MEDIA_S3_ENDPOINT_URL": s3_endpoint,
        "MEDIA_S3_REGION": "eu-central-1",
        "MEDIA_S3_ACCESS_KEY_ID": "liaison-test",
        "MEDIA_S3_SECRET_ACCESS_KEY": "liaison-test-secret",
    }
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="eu-central-1",
        aws_access_key_id="liaison-test",
        aws_secret_access_key="liaison-test-secret",
    )
    client.create_bucket(
        Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-central-1"}
    )
    from django.conf import settings
    from wagtail.models import Collection

    if Collection.get_first_root_node() is None:  # a transactional test before may have flushed it
        Collection.add_root(name="Root")
    with override_settings(STORAGES={**settings.STORAGES, "default": media_storage(environ)}):
        yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def keys(client) -> list[str]:
    return sorted(o["Key"] for o in client.list_objects_v2(Bucket=BUCKET).get("Contents", []))


def png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    PILImage.new("RGB", (width, height), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def test_images_and_their_renditions_live_in_the_bucket(bucket, settings):
    image = get_image_model().objects.create(
        title="Roadshow stage", file=ImageFile(io.BytesIO(png(640, 480)), name="stage.png")
    )
    assert (image.width, image.height) == (640, 480)
    rendition = image.get_rendition("fill-80x60")

    stored = keys(bucket)
    assert any(k.startswith("original_images/stage") for k in stored), stored
    assert any(k.startswith("images/stage") and ".fill-80x60" in k for k in stored), stored
    assert not list(settings.MEDIA_ROOT.glob("**/stage*.png"))  # nothing on this machine's disk
    # The URL a page shows is the bucket's (signed), and it answers with the rendition.
    assert rendition.url.startswith(bucket.meta.endpoint_url)
    answer = requests.get(rendition.url, timeout=10)
    assert answer.status_code == 200
    assert PILImage.open(io.BytesIO(answer.content)).size == (80, 60)


def test_two_uploads_with_the_same_name_keep_both_files(bucket):
    first = get_image_model().objects.create(
        title="Logo", file=ImageFile(io.BytesIO(png(10, 10)), name="logo.png")
    )
    second = get_image_model().objects.create(
        title="Logo", file=ImageFile(io.BytesIO(png(20, 20)), name="logo.png")
    )
    assert first.file.name != second.file.name
    assert len([k for k in keys(bucket) if k.startswith("original_images/logo")]) == 2


def test_documents_are_stored_in_the_bucket_and_served_from_it(bucket, client, admin_user):
    body = b"%PDF-1.4 the programme of the Hamburg roadshow stop"
    document = get_document_model().objects.create(
        title="Programme", file=ContentFile(body, name="programme.pdf")
    )
    assert any(k.startswith("documents/programme") for k in keys(bucket))

    answer = client.get(document.url)
    # Served from the bucket: Wagtail redirects to the object's (signed) URL.
    assert answer.status_code == 302
    location = answer["Location"]
    assert location.startswith(bucket.meta.endpoint_url)
    assert requests.get(location, timeout=10).content == body
