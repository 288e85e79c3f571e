"""The online exhibition hall on the public site: halls and booths in zh-hans, en and ar (RTL),
search and filters, the contact or meeting request, and the per-booth daily visit counter."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.cache import cache

from crm.models import Interaction, Sector
from expos.models import BoothContactRequest, BoothMaterial, BoothVisit
from expos.services.hall import visit_counts
from tests.factories import EventFactory, ExhibitorFactory, OrganizationFactory, PersonFactory

pytestmark = pytest.mark.django_db

LOCAL_CACHES = {
    alias: {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": alias}
    for alias in ("default", "pages")
}


@pytest.fixture
def expo(site_structure):
    event = EventFactory(kind="expo", code="hall-expo", name="Ningbo Expo")
    materials = Sector.objects.create(name="Foam metals", name_zh="泡沫金属", slug="materials-x")
    robots = Sector.objects.create(name="Cobot arms", name_zh="协作机械臂", slug="robots-x")
    contact = PersonFactory(email="sales@steel.example")
    steel = ExhibitorFactory(
        event=event,
        hall="A",
        booth_number="A12",
        organization=OrganizationFactory(
            name="宁波钢铁", name_en="Ningbo Steel", name_zh="宁波钢铁", country="CN"
        ),
        products_en="Lightweight alloys",
        products_zh="轻质合金",
    )
    steel.sectors.add(materials)
    steel.contacts.add(contact)
    arm = ExhibitorFactory(
        event=event,
        hall="B",
        booth_number="B3",
        organization=OrganizationFactory(name="Roboarm GmbH", country="DE"),
        products_en="Welding robots",
    )
    arm.sectors.add(robots)
    BoothMaterial.objects.create(
        exhibitor=steel, kind="document", title_en="Catalogue", url="https://x.example/c.pdf"
    )
    BoothMaterial.objects.create(
        exhibitor=steel, kind="video", title_en="Factory tour", url="https://v.example/tour"
    )
    BoothMaterial.objects.create(
        exhibitor=steel, kind="image", title_en="Our mill", url="https://x.example/mill.jpg"
    )
    return {"event": event, "steel": steel, "arm": arm, "contact": contact}


def hall_url(language, query=""):
    return f"/{language}/expos/hall-expo/hall/{query}"


@pytest.mark.parametrize(
    ("language", "name", "products", "direction"),
    [
        ("zh-hans", "宁波钢铁", "轻质合金", "ltr"),
        ("en", "Ningbo Steel", "Lightweight alloys", "ltr"),
        ("ar", "Ningbo Steel", "Lightweight alloys", "rtl"),
    ],
)
def test_hall_and_booth_answer_in_the_visitors_language(
    client, expo, language, name, products, direction
):
    page = client.get(hall_url(language))
    body = page.content.decode()
    assert page.status_code == 200
    assert f'lang="{language}"' in body
    assert f'dir="{direction}"' in body
    assert name in body
    assert "Roboarm GmbH" in body
    booth = client.get(hall_url(language, f"{expo['steel'].pk}/")).content.decode()
    assert products in booth
    assert "https://x.example/c.pdf" in booth  # document
    assert "https://v.example/tour" in booth  # video link
    assert 'src="https://x.example/mill.jpg"' in booth  # image


def test_hall_in_chinese_shows_chinese_labels(client, expo):
    body = client.get(hall_url("zh-hans")).content.decode()
    assert "泡沫金属" in body  # the sector filter in Chinese
    assert "在线展厅" in body


def test_search_finds_exhibitors_by_products(client, expo):
    body = client.get(hall_url("en", "?q=welding")).content.decode()
    assert "Roboarm GmbH" in body
    assert "Ningbo Steel" not in body


def test_filters_by_sector_and_by_country(client, expo):
    by_sector = client.get(hall_url("en", "?sector=materials-x")).content.decode()
    assert "Ningbo Steel" in by_sector
    assert "Roboarm GmbH" not in by_sector
    by_country = client.get(hall_url("en", "?country=DE")).content.decode()
    assert "Roboarm GmbH" in by_country
    assert "Ningbo Steel" not in by_country


def test_hall_stays_online_after_the_expo(client, expo):
    event = expo["event"]
    event.status = "completed" if hasattr(event.Status, "COMPLETED") else event.status
    event.starts_at = event.starts_at.replace(year=2020)
    event.ends_at = event.ends_at.replace(year=2020)
    event.save()
    assert client.get(hall_url("en")).status_code == 200


def test_a_planned_expo_or_another_expos_booth_is_not_found(client, expo):
    other = ExhibitorFactory()
    assert client.get(hall_url("en", f"{other.pk}/")).status_code == 404
    expo["event"].status = "planned"
    expo["event"].save()
    assert client.get(hall_url("en")).status_code == 404


def test_hall_and_booth_pages_are_cached_and_a_booth_change_invalidates(client, expo, settings):
    settings.PAGE_CACHE_SECONDS = 600
    settings.CACHES = LOCAL_CACHES
    url = hall_url("en", "?sector=materials-x")
    client.get(hall_url("en"))  # the first page of a new site creates its branding row
    assert client.get(url)["X-Page-Cache"] == "miss"
    assert client.get(url)["X-Page-Cache"] == "hit"
    booth_url = hall_url("en", f"{expo['steel'].pk}/")
    client.get(booth_url)
    assert client.get(booth_url)["X-Page-Cache"] == "hit"
    steel = expo["steel"]
    steel.products_en = "Foamed aluminium"
    steel.save()
    fresh = client.get(booth_url)
    assert fresh["X-Page-Cache"] == "miss"
    assert "Foamed aluminium" in fresh.content.decode()


def test_booth_visits_are_counted_per_day_without_cookies(client, expo):
    steel = expo["steel"]
    booth = client.get(hall_url("en", f"{steel.pk}/")).content.decode()
    pixel_url = hall_url("en", f"{steel.pk}/seen.gif")
    assert pixel_url in booth
    for _ in range(3):
        response = client.get(pixel_url)
        assert response.status_code == 200
        assert response["Content-Type"] == "image/gif"
        assert response["Cache-Control"] == "no-store"
        assert not response.cookies
    assert BoothVisit.objects.filter(exhibitor=steel).count() == 1
    assert visit_counts(steel)["total"] == 3
    assert visit_counts(expo["arm"])["total"] == 0


def contact_url(expo):
    return hall_url("en", f"{expo['steel'].pk}/contact/")


GOOD = {
    "kind": "meeting",
    "name": "Maria Lopez",
    "email": "maria@buyer.example",
    "organization_name": "Lopez Import",
    "message": "We would like to meet at the expo.",
    "consent": "on",
}


def test_a_meeting_request_is_recorded_with_consent_mailed_and_entered_in_the_crm(
    client, expo, django_capture_on_commit_callbacks
):
    cache.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(contact_url(expo), GOOD)
    assert response.status_code == 200
    assert 'data-testid="sent"' in response.content.decode()
    item = BoothContactRequest.objects.get()
    assert item.kind == "meeting"
    assert item.language == "en"
    assert "I agree" in item.consent_text
    assert item.consented_at
    interaction = Interaction.objects.get(source="expo_hall")
    assert item.interaction == interaction
    assert interaction.kind == "meeting"
    assert list(interaction.organizations.all()) == [expo["steel"].organization]
    assert list(interaction.people.all()) == [expo["contact"]]
    assert "maria@buyer.example" in interaction.summary
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["sales@steel.example"]
    assert mail.outbox[0].reply_to == ["maria@buyer.example"]


def test_a_request_without_consent_is_refused_naming_the_field(client, expo):
    cache.clear()
    response = client.post(contact_url(expo), {**GOOD, "consent": ""})
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="id_consent"' in body
    assert "This field is required" in body
    assert not BoothContactRequest.objects.exists()
    assert not Interaction.objects.exists()


def test_a_bad_email_is_refused_naming_the_field(client, expo):
    cache.clear()
    response = client.post(contact_url(expo), {**GOOD, "email": "not-an-address"})
    assert response.status_code == 400
    assert "Enter a valid email address" in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()
    assert not BoothContactRequest.objects.exists()


def test_contact_requests_are_rate_limited_per_connection(client, expo, settings):
    cache.clear()
    settings.RSVP_FORM_RATE = 2
    assert client.post(contact_url(expo), GOOD).status_code == 200
    assert client.post(contact_url(expo), GOOD).status_code == 200
    refused = client.post(contact_url(expo), GOOD)
    assert refused.status_code == 429
    assert "Too many requests" in refused.content.decode()
    assert BoothContactRequest.objects.count() == 2
    cache.clear()


def test_contact_form_answers_in_arabic_right_to_left(client, expo):
    body = client.get(hall_url("ar", f"{expo['steel'].pk}/contact/")).content.decode()
    assert 'dir="rtl"' in body
    assert 'name="consent"' in body
