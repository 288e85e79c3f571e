"""A contact import whose upload lives in an S3 bucket (moto's server): the file is read through
Django's storage API, never from a local path."""

from __future__ import annotations

import io

import pytest
from django.core.files.base import ContentFile
from openpyxl import Workbook

from crm.models import ImportStatus, PersonEmail
from crm.services import imports
from tests.integration.test_media_storage import BUCKET, bucket, keys, s3_endpoint  # noqa: F401

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def test_a_csv_and_a_workbook_uploaded_to_s3_are_imported(bucket):  # noqa: F811
    csv_import = imports.create_import(
        ContentFile("姓名,邮箱\r\n王伟,wang@example.cn\r\n".encode(), name="a.csv"),
        acting_user=None,
        source="s3 test",
    )
    workbook = Workbook()
    workbook.active.append(["Name", "Email"])
    workbook.active.append(["Anna Li", "anna@example.org"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    xlsx_import = imports.create_import(
        ContentFile(buffer.getvalue(), name="b.xlsx"), acting_user=None, source="s3 test"
    )
    stored = keys(bucket)
    assert any(key.endswith("a.csv") for key in stored)
    assert any(key.endswith("b.xlsx") for key in stored)
    assert csv_import.headers == ["姓名", "邮箱"]
    for contact_import in (csv_import, xlsx_import):
        assert imports.run_now(contact_import).status == ImportStatus.DONE
    assert set(PersonEmail.objects.values_list("email_normalized", flat=True)) == {
        "wang@example.cn",
        "anna@example.org",
    }
