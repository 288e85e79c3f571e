"""The translation workflow staff use: wagtail-localize with PO files and a machine translator."""

from __future__ import annotations

import importlib

import pytest
from wagtail.models import Locale
from wagtail_localize.models import StringTranslation, Translation, TranslationSource

from site_cms.models import StandardPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def source_page(site_structure):
    page = StandardPage(
        title="关于我们",
        slug="about",
        body="<p>我们组织国际论坛。</p>",
        locale=site_structure.locale,
    )
    site_structure.add_child(instance=page)
    page.save_revision().publish()
    return page


def start_translation(page, language: str) -> Translation:
    source, _created = TranslationSource.get_or_create_from_instance(page)
    return Translation.objects.create(
        source=source, target_locale=Locale.objects.get(language_code=language)
    )


def test_outside_translator_works_from_a_po_file(source_page, django_capture_on_commit_callbacks):
    translation = start_translation(source_page, "de")
    po = translation.export_po()
    msgids = {entry.msgid for entry in po}
    assert msgids == {"关于我们", "我们组织国际论坛。"}  # the slug is synchronised, not translated
    german = {
        "关于我们": "Über uns",
        "我们组织国际论坛。": "Wir organisieren internationale Foren.",
    }
    for entry in po:
        entry.msgstr = german[entry.msgid]
    assert translation.import_po(po) == []
    with django_capture_on_commit_callbacks(execute=True):
        translation.save_target(publish=True)
    page = StandardPage.objects.get(
        translation_key=source_page.translation_key, locale__language_code="de"
    )
    assert page.live
    assert page.title == "Über uns"
    assert "Wir organisieren internationale Foren." in page.body
    assert page.slug == source_page.slug


def test_machine_translator_fills_the_translation_from_the_admin(
    client, staff_admin, source_page, settings
):
    settings.WAGTAILLOCALIZE_MACHINE_TRANSLATOR = {
        "CLASS": "wagtail_localize.machine_translators.dummy.DummyTranslator",
        "OPTIONS": {},
    }
    translation = start_translation(source_page, "en")
    translation.save_target(publish=False)  # as "Translate this page" does: a draft to fill
    client.force_login(staff_admin)
    response = client.post(
        f"/admin/localize/translate/{translation.id}/machine_translate/?next=/admin/"
    )
    assert response.status_code == 302
    filled = StringTranslation.objects.filter(locale__language_code="en")
    assert filled.count() == 2
    assert {row.translation_type for row in filled} == {"machine"}


def test_development_settings_use_the_dummy_machine_translator():
    dev = importlib.import_module("config.settings.dev")
    assert dev.WAGTAILLOCALIZE_MACHINE_TRANSLATOR["CLASS"].endswith("DummyTranslator")


def test_speakers_and_sessions_are_translatable_snippets_in_the_admin(
    client, staff_admin, site_structure
):
    from site_cms.models import Speaker

    speaker = Speaker.objects.create(
        name="李建国", honorific="院士", locale=Locale.objects.get(language_code="zh-hans")
    )
    client.force_login(staff_admin)
    listing = client.get("/admin/snippets/site_cms/speaker/")
    assert listing.status_code == 200
    assert "李建国" in listing.content.decode()
    assert client.get("/admin/snippets/site_cms/session/").status_code == 200
    submit = f"/admin/localize/submit/snippet/site_cms/speaker/{speaker.pk}/"
    assert submit in listing.content.decode()  # the "Translate" action
    assert client.get(submit).status_code == 200
