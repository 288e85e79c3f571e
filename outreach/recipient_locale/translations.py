# ruff: noqa: E501 - one line per message keeps its languages side by side
"""The recipients' public pages (unsubscribe, preferences, invalid link) in every language a
campaign can be written in. These pages are rendered in the recipient's language; the staff
catalogue (locale/) holds only zh-Hans, so without these a German reader saw English.

Run `python outreach/recipient_locale/translations.py` after changing the table or the templates'
strings: it writes outreach/recipient_locale/<lang>/LC_MESSAGES/django.po and .mo (only these
strings). The folder is listed in settings.LOCALE_PATHS.
tests/unit/outreach/test_campaign_public_pages.py checks every public page is translated.
Columns: de, ja, ru, ar. English is the msgid itself; zh-Hans is in the staff catalogue."""

from __future__ import annotations

from pathlib import Path

COLUMNS = ("de", "ja", "ru", "ar")
# fmt: off
T: dict[str, tuple[str, str, str, str]] = {
    "Your email preferences": ("Ihre E-Mail-Einstellungen", "メール配信設定", "Настройки рассылки", "تفضيلات البريد الإلكتروني"),
    "Your choices are saved.": ("Ihre Auswahl ist gespeichert.", "設定を保存しました。", "Ваш выбор сохранён.", "تم حفظ اختياراتك."),
    "Keep receiving messages about:": ("Weiterhin Nachrichten erhalten zu:", "引き続き受け取るメッセージ：", "Продолжать получать сообщения:", "مواصلة تلقي الرسائل بشأن:"),
    "Save": ("Speichern", "保存", "Сохранить", "حفظ"),
    "Unsubscribe": ("Abmelden", "配信停止", "Отписаться", "إلغاء الاشتراك"),
    "Stop receiving messages about: %(purpose)s?": ("Keine Nachrichten mehr erhalten zu: %(purpose)s?", "「%(purpose)s」のメッセージの受信を停止しますか？", "Больше не получать сообщения: %(purpose)s?", "هل تريد التوقف عن تلقي الرسائل بشأن: %(purpose)s؟"),
    "Choose which messages you receive": ("Wählen Sie, welche Nachrichten Sie erhalten", "受け取るメッセージを選ぶ", "Выбрать, какие сообщения получать", "اختر الرسائل التي تريد تلقيها"),
    "You are unsubscribed": ("Sie sind abgemeldet", "配信を停止しました", "Вы отписались", "تم إلغاء اشتراكك"),
    "You will no longer receive messages about: %(purpose)s.": ("Sie erhalten keine Nachrichten mehr zu: %(purpose)s.", "今後、「%(purpose)s」のメッセージは届きません。", "Вы больше не будете получать сообщения: %(purpose)s.", "لن تتلقى بعد الآن رسائل بشأن: %(purpose)s."),
    "Link not valid": ("Link ungültig", "無効なリンク", "Ссылка недействительна", "رابط غير صالح"),
    "This link is not valid": ("Dieser Link ist ungültig", "このリンクは無効です", "Эта ссылка недействительна", "هذا الرابط غير صالح"),
    "The link may have been cut or changed. Please use the link in the message you received.": ("Der Link wurde möglicherweise gekürzt oder verändert. Bitte verwenden Sie den Link aus der Nachricht, die Sie erhalten haben.", "リンクが途中で切れているか、変更された可能性があります。受信したメッセージ内のリンクをご利用ください。", "Возможно, ссылка обрезана или изменена. Воспользуйтесь ссылкой из полученного сообщения.", "ربما تم قطع الرابط أو تغييره. يُرجى استخدام الرابط الموجود في الرسالة التي تلقيتها."),
    "Event invitations": ("Einladungen zu Veranstaltungen", "イベントのご招待", "Приглашения на мероприятия", "دعوات الفعاليات"),
    "Newsletters": ("Newsletter", "ニュースレター", "Новостные рассылки", "النشرات الإخبارية"),
}
# fmt: on


def build() -> None:
    import polib

    here = Path(__file__).resolve().parent
    for language in COLUMNS:
        catalogue = polib.POFile()
        catalogue.metadata = {
            "Project-Id-Version": "Liaison recipient pages",
            "Language": language,
            "MIME-Version": "1.0",
            "Content-Type": "text/plain; charset=UTF-8",
            "Content-Transfer-Encoding": "8bit",
        }
        for msgid, texts in T.items():
            flags = ["python-format"] if "%(" in msgid else []
            catalogue.append(
                polib.POEntry(msgid=msgid, msgstr=texts[COLUMNS.index(language)], flags=flags)
            )
        folder = here / language / "LC_MESSAGES"
        folder.mkdir(parents=True, exist_ok=True)
        catalogue.save(str(folder / "django.po"))
        catalogue.save_as_mofile(str(folder / "django.mo"))


if __name__ == "__main__":
    build()
