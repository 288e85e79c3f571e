"""The contact import wizard in Chromium with a real worker: upload a Chinese Excel-style CSV,
map the one column it cannot guess, dry run, import with the progress bar going to 100 %, and
download the rejected rows with their reasons."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from crm.models import ContactImport, ImportStatus, PersonEmail
from crm.services.roles import OFFICER, ensure_roles
from tests.browser.test_campaigns import PASSWORD, log_in
from tests.factories import UserFactory
from tests.support import start_worker, stop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROWS = 300


def contacts_csv() -> bytes:
    lines = ["姓名,手机,邮箱,单位,Kol"]
    for i in range(ROWS):
        lines.append(f"王{i}伟,138{i:08d},guest{i}@example.cn,宁波市商务局,note {i}")
    lines.append("坏人,12,bad@,,")
    lines.append("无联系,,,,")
    return ("\r\n".join(lines) + "\r\n").encode("gb18030")


def test_upload_map_dry_run_import_and_download_rejected_rows(page, live_server, tmp_path):
    ensure_roles()
    officer = UserFactory(username="otto", is_staff=True, password=PASSWORD)
    officer.groups.add(Group.objects.get(name=OFFICER))
    worker = start_worker(
        name="wizard",
        extra_env={"IMPORT_CHUNK_ROWS": "20", "IMPORT_CHUNK_PAUSE": "0.15"},
        log_path=tmp_path / "worker.log",
    )
    try:
        log_in(page, live_server, officer)
        page.goto(f"{live_server.url}/admin/crm/imports/new/")
        page.set_input_files(
            "input[name=file]",
            files=[{"name": "名片.csv", "mimeType": "text/csv", "buffer": contacts_csv()}],
        )
        page.fill("input[name=source]", "Business cards, Hamburg roadshow")
        page.get_by_role("button", name="Upload").click()

        # Mapping: every Chinese header is guessed; "Kol" is not, staff send it to Notes.
        expect(page.locator("#mapping-form")).to_be_visible()
        expect(page.get_by_label("邮箱")).to_have_value("email")
        expect(page.get_by_label("Kol")).to_have_value("")
        page.get_by_label("Kol").select_option(label="Notes")
        page.get_by_role("button", name="Dry run").click()

        counts = page.locator("#dry-run-counts")
        expect(counts).to_be_visible(timeout=60_000)
        expect(counts.locator("[data-count=created]")).to_have_text(str(ROWS))
        expect(counts.locator("[data-count=rejected]")).to_have_text("2")
        assert PersonEmail.objects.count() == 0  # a dry run writes nothing

        page.get_by_role("button", name="Import now").click()
        progress = page.locator("#import-progress")
        expect(progress).to_be_visible()
        expect(page.locator("#import-percent")).to_have_text("100", timeout=90_000)
        result = page.locator("#import-counts")
        expect(result.locator("[data-count=created]")).to_have_text(str(ROWS))
        assert ContactImport.objects.get().status == ImportStatus.DONE
        assert PersonEmail.objects.get(email_normalized="guest7@example.cn").person.notes == (
            "note 7"
        )

        with page.expect_download() as download_info:
            page.locator("#download-rejected").click()
        download = download_info.value
        assert download.suggested_filename == "名片-rejected.csv"
        rows = list(csv.reader(io.StringIO(Path(download.path()).read_text(encoding="gb18030"))))
        assert rows[0] == ["姓名", "手机", "邮箱", "单位", "Kol", "Import problem"]
        assert [r[0] for r in rows[1:]] == ["坏人", "无联系"]
        assert "invalid_email" in rows[1][-1]
        assert "no_contact_method" in rows[2][-1]
        assert page.console_errors == []
    finally:
        stop(worker)
