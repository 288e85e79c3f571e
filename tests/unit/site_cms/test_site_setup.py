from django.conf import settings
from wagtail.models import Locale, Site

from site_cms.models import HomePage
from site_cms.services.site_setup import ensure_site_structure


def test_every_configured_language_gets_a_home_page_once(site_structure):
    ensure_site_structure()  # a second run adds nothing
    codes = [code for code, _ in settings.WAGTAIL_CONTENT_LANGUAGES]
    assert sorted(Locale.objects.values_list("language_code", flat=True)) == sorted(codes)
    homes = HomePage.objects.filter(translation_key=site_structure.translation_key)
    assert sorted(h.locale.language_code for h in homes) == sorted(codes)
    assert all(h.live for h in homes)
    assert Site.objects.get(is_default_site=True).root_page_id == site_structure.pk


def test_public_home_answers_in_each_language_with_lang_and_dir(client, site_structure):
    for code, _name in settings.LANGUAGES:
        response = client.get(f"/{code}/")
        assert response.status_code == 200, code
        direction = "rtl" if code == "ar" else "ltr"
        assert f'<html lang="{code}" dir="{direction}">' in response.content.decode()


def test_bare_root_follows_accept_language(client, site_structure):
    response = client.get("/", headers={"accept-language": "ja,en;q=0.5"})
    assert response.status_code == 302
    assert response["Location"] == "/ja/"
