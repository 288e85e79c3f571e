"""The door screen in Chromium on a phone viewport, as door staff use it: check in by typed name
(pinyin), by a photo of a QR code fed to the scanner, then with the network cut: scan, reload the
screen offline, restore the network, and the queue is synced once."""

from __future__ import annotations

import io

import pytest
import segno
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from outreach.models import CheckIn, DoorAssignment
from outreach.models.registrations import AnswerChannel
from outreach.services import checkin
from outreach.services import registration as registrations
from tests.browser.test_campaigns import PASSWORD, log_in
from tests.browser.test_public_site import axe_violations
from tests.factories import EventFactory, PersonFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _guest(event, **names):
    person = PersonFactory(**names)
    return registrations.accept(
        event, person, registrations.AcceptInput(), channel=AnswerChannel.STAFF, notify=False
    ).registration


@pytest.fixture
def door(db):
    event = EventFactory(name="Hamburg roadshow stop", capacity=None)
    user = UserFactory(username="door.hamburg", password=PASSWORD)
    user.groups.add(Group.objects.get(name="Door staff"))
    DoorAssignment.objects.create(event=event, user=user, gate="A")
    guests = {
        "wang": _guest(event, full_name_native="王伟", name_latin="Wang Wei"),
        "anna": _guest(event, full_name_native="Anna Müller", name_latin="Anna Müller"),
        "mohammed": _guest(
            event, full_name_native="محمد بن راشد", name_latin="Mohammed bin Rashid"
        ),
    }
    return event, user, guests


def _phone(browser):
    context = browser.new_context(
        locale="en-GB", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.console_errors = errors
    return page


def _admitted(registration) -> int:
    return CheckIn.objects.filter(registration=registration, outcome="admitted").count()


def test_door_staff_check_guests_in_by_name_by_photo_and_offline(browser, live_server, door):
    event, user, guests = door
    page = _phone(browser)
    try:
        log_in(page, live_server, user)
        page.goto(f"{live_server.url}/admin/checkin/{event.pk}/")
        expect(page.locator("#checkin")).to_have_attribute("data-ready", "yes")
        expect(page.locator("#checkin-count")).to_have_text("3 guests on this device")
        assert axe_violations(page) == []

        # By name, typed in pinyin without spaces.
        page.get_by_label("Name in any script, or pinyin").fill("wangwei")
        page.get_by_role("button", name="王伟 · Wang Wei").click()
        result = page.locator("#checkin-result")
        expect(result).to_have_attribute("data-kind", "ok")
        expect(result).to_contain_text("王伟")
        expect(page.locator("#checkin-pending")).to_have_attribute("data-count", "0")
        assert _admitted(guests["wang"]) == 1

        # A photo of Anna's QR code, fed to the scanner.
        picture = io.BytesIO()
        segno.make(checkin.code_for(guests["anna"]), error="m").save(picture, kind="png", scale=8)
        page.set_input_files(
            "#checkin-photo",
            files=[{"name": "code.png", "mimeType": "image/png", "buffer": picture.getvalue()}],
        )
        expect(result).to_contain_text("Anna Müller")
        expect(result).to_have_attribute("data-kind", "ok")
        expect(page.locator("#checkin-pending")).to_have_attribute("data-count", "0")
        assert _admitted(guests["anna"]) == 1

        # Network cut: the screen still verifies a code and keeps the scan.
        page.evaluate("navigator.serviceWorker.ready")
        page.context.set_offline(True)
        expect(page.locator("#checkin")).to_have_attribute("data-online", "no")
        page.get_by_label("Or type or paste the code").fill(checkin.code_for(guests["mohammed"]))
        page.get_by_role("button", name="Check", exact=True).click()
        expect(result).to_contain_text("محمد بن راشد")
        expect(page.locator("#checkin-pending")).to_have_attribute("data-count", "1")
        assert _admitted(guests["mohammed"]) == 0
        # A forged code is refused offline too.
        page.get_by_label("Or type or paste the code").fill(
            checkin.code_for(guests["mohammed"])[:-4] + "AAAA"
        )
        page.get_by_role("button", name="Check", exact=True).click()
        expect(result).to_have_attribute("data-kind", "error")
        # The screen reloads from the device while offline, queue and guest list intact.
        page.reload()
        expect(page.locator("#checkin")).to_have_attribute("data-ready", "yes")
        expect(page.locator("#checkin-pending")).to_have_attribute("data-count", "1")
        # Wang again: already checked in, said without asking the server.
        page.get_by_label("Name in any script, or pinyin").fill("王伟")
        page.get_by_role("button", name="王伟 · Wang Wei").click()
        expect(result).to_have_attribute("data-kind", "conflict")
        expect(result).to_contain_text("gate A")

        # Back online: the queue is sent, once.
        page.context.set_offline(False)
        expect(page.locator("#checkin-pending")).to_have_attribute(
            "data-count", "0", timeout=20_000
        )
        assert _admitted(guests["mohammed"]) == 1
        page.evaluate("window.liaisonCheckin.sync()")
        assert CheckIn.objects.filter(registration=guests["mohammed"]).count() == 1
        assert [e for e in page.console_errors if "ERR_INTERNET_DISCONNECTED" not in e] == []
    finally:
        page.context.close()


def _y4m_of(image, path):
    """A still video (Y4M, 4:2:0) of `image` centred on white: what Chromium's fake camera plays.

    Chromium reads `--use-file-for-fake-video-capture` as the camera's picture, so the screen's
    real camera path (getUserMedia, the video element, frames decoded by jsQR) runs unchanged.
    """
    from PIL import Image

    frame = Image.new("RGB", (640, 480), "white")
    image = image.convert("RGB")
    frame.paste(image, ((640 - image.width) // 2, (480 - image.height) // 2))
    y, cb, cr = frame.convert("YCbCr").split()
    half = (320, 240)
    planes = y.tobytes() + cb.resize(half).tobytes() + cr.resize(half).tobytes()
    with open(path, "wb") as out:
        out.write(b"YUV4MPEG2 W640 H480 F10:1 Ip A1:1 C420jpeg\n")
        for _ in range(10):
            out.write(b"FRAME\n" + planes)


def test_door_staff_scan_a_code_with_the_camera(browser, live_server, door, tmp_path):
    """The camera button: Chromium's fake camera shows Anna's code; she is admitted once."""
    from PIL import Image

    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

    event, user, guests = door
    picture = io.BytesIO()
    segno.make(checkin.code_for(guests["anna"]), error="m").save(
        picture, kind="png", scale=5, border=4
    )
    video = tmp_path / "camera.y4m"
    _y4m_of(Image.open(io.BytesIO(picture.getvalue())), video)
    camera_args = [
        "--use-fake-device-for-media-stream",
        "--use-fake-ui-for-media-stream",
        f"--use-file-for-fake-video-capture={video}",
    ]
    # A second Chromium from the same Playwright, started with the fake camera.
    chromium = browser.browser_type.launch(
        executable_path=CHROMIUM, args=CHROMIUM_ARGS + camera_args
    )
    try:
        page = _phone(chromium)
        page.context.grant_permissions(["camera"], origin=live_server.url)
        log_in(page, live_server, user)
        page.goto(f"{live_server.url}/admin/checkin/{event.pk}/")
        expect(page.locator("#checkin")).to_have_attribute("data-ready", "yes")
        page.locator("#checkin-camera").click()
        expect(page.locator("#checkin-video")).to_be_visible()
        result = page.locator("#checkin-result")
        expect(result).to_contain_text("Anna Müller", timeout=15_000)
        expect(result).to_have_attribute("data-kind", "ok")
        expect(page.locator("#checkin-pending")).to_have_attribute("data-count", "0")
        assert _admitted(guests["anna"]) == 1
        assert _admitted(guests["wang"]) == 0
        assert page.console_errors == []
    finally:
        chromium.close()
