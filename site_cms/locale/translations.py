# ruff: noqa: E501 - one line per message keeps its languages side by side
"""The public site's interface strings in every demo language, in one table.

Run `python site_cms/locale/translations.py` after `makemessages` to fill the .po files from this
table (then `manage.py compilemessages`). A msgid missing here is reported, so the catalogues stay
complete; tests/unit/test_site_catalogues.py checks the compiled result.
Columns: zh_Hans, de, ja, ru, ar. English is the msgid itself."""

from __future__ import annotations

# fmt: off
# A msgid with a context (pgettext) is keyed by (context, msgid).
T: dict[str | tuple[str, str], tuple[str, str, str, str, str]] = {
    "conference + expo + competition": ("会展赛一体化", "Konferenz, Messe und Wettbewerb", "会議・博覧会・コンテスト", "конференция, выставка и конкурс", "مؤتمر ومعرض ومسابقة"),
    "forum": ("论坛", "Forum", "フォーラム", "форум", "منتدى"),
    "sub-forum": ("分论坛", "Unterforum", "分科会", "секция форума", "منتدى فرعي"),
    "conference": ("会议", "Konferenz", "会議", "конференция", "مؤتمر"),
    "expo": ("博览会", "Messe", "博覧会", "выставка", "معرض"),
    "competition": ("大赛", "Wettbewerb", "コンテスト", "конкурс", "مسابقة"),
    "roadshow": ("路演", "Roadshow", "ロードショー", "роуд-шоу", "جولة ترويجية"),
    "roadshow stop": ("路演站", "Roadshow-Station", "ロードショー開催地", "этап роуд-шоу", "محطة الجولة الترويجية"),
    "matchmaking session": ("项目对接会", "Kooperationsbörse", "マッチング商談会", "деловые встречи", "جلسة توفيق الأعمال"),
    "signing ceremony": ("签约仪式", "Unterzeichnungszeremonie", "調印式", "церемония подписания", "حفل التوقيع"),
    "other event": ("其他活动", "Weitere Veranstaltung", "その他のイベント", "другое мероприятие", "فعالية أخرى"),
    "announced": ("已发布", "angekündigt", "告知済み", "объявлено", "مُعلن"),
    "postponed": ("已延期", "verschoben", "延期", "перенесено", "مؤجل"),
    "cancelled": ("已取消", "abgesagt", "中止", "отменено", "ملغى"),
    "finished": ("已结束", "beendet", "終了", "завершено", "منتهٍ"),
    "guiding unit": ("指导单位", "Schirmherrschaft", "指導機関", "при поддержке", "جهة التوجيه"),
    "host": ("主办单位", "Veranstalter", "主催", "организатор", "الجهة المضيفة"),
    "organizer": ("承办单位", "Durchführung", "運営", "исполнитель", "الجهة المنظمة"),
    "co-organizer": ("协办单位", "Mitveranstalter", "共催", "соорганизатор", "الجهة المشاركة في التنظيم"),
    "supporting organization": ("支持单位", "Unterstützer", "協賛", "при содействии", "جهة داعمة"),
    "media partner": ("媒体合作", "Medienpartner", "メディアパートナー", "информационный партнёр", "شريك إعلامي"),
    "local partner": ("当地合作伙伴", "Lokaler Partner", "現地パートナー", "местный партнёр", "شريك محلي"),
    "speaker": ("演讲嘉宾", "Referent", "講演者", "докладчик", "متحدث"),
    "keynote speaker": ("主旨演讲嘉宾", "Hauptredner", "基調講演者", "основной докладчик", "المتحدث الرئيسي"),
    "moderator": ("主持人", "Moderation", "司会", "модератор", "مدير الجلسة"),
    "panellist": ("对话嘉宾", "Podiumsgast", "パネリスト", "участник дискуссии", "عضو الحلقة النقاشية"),
    "juror": ("评委", "Jurymitglied", "審査員", "член жюри", "عضو لجنة التحكيم"),
    "Welcome": ("欢迎", "Willkommen", "ようこそ", "Добро пожаловать", "مرحبًا"),
    "Skip to content": ("跳到正文", "Zum Inhalt springen", "本文へ移動", "Перейти к содержанию", "انتقل إلى المحتوى"),
    "Main menu": ("主菜单", "Hauptmenü", "メインメニュー", "Главное меню", "القائمة الرئيسية"),
    "Home": ("首页", "Startseite", "ホーム", "Главная", "الرئيسية"),
    "Search this site": ("搜索本站", "Diese Website durchsuchen", "サイト内検索", "Поиск по сайту", "ابحث في هذا الموقع"),
    "Search": ("搜索", "Suchen", "検索", "Поиск", "بحث"),
    "Languages of this page": ("本页的其他语言", "Sprachen dieser Seite", "このページの言語", "Языки этой страницы", "لغات هذه الصفحة"),
    "This page is not yet available in %(language)s. It is shown in %(shown)s.": (
        "本页尚无%(language)s版本，现以%(shown)s显示。",
        "Diese Seite ist noch nicht auf %(language)s verfügbar. Sie wird auf %(shown)s angezeigt.",
        "このページはまだ%(language)sでは提供されていません。%(shown)sで表示しています。",
        "Эта страница пока недоступна на языке «%(language)s». Она показана на языке «%(shown)s».",
        "هذه الصفحة غير متوفرة بعد باللغة %(language)s. وهي معروضة باللغة %(shown)s.",
    ),
    "Ningbo international events, forums, expos and competitions.": (
        "宁波国际活动：论坛、博览会与大赛。",
        "Internationale Veranstaltungen in Ningbo: Foren, Messen und Wettbewerbe.",
        "寧波の国際イベント：フォーラム、博覧会、コンテスト。",
        "Международные мероприятия Нинбо: форумы, выставки и конкурсы.",
        "فعاليات نينغبو الدولية: منتديات ومعارض ومسابقات.",
    ),
    "Sitemap": ("网站地图", "Sitemap", "サイトマップ", "Карта сайта", "خريطة الموقع"),
    "Filter events": ("筛选活动", "Veranstaltungen filtern", "イベントを絞り込む", "Фильтр мероприятий", "تصفية الفعاليات"),
    "Kind": ("类型", "Art", "種類", "Тип", "النوع"),
    "All kinds": ("全部类型", "Alle Arten", "すべての種類", "Все типы", "كل الأنواع"),
    "Year": ("年份", "Jahr", "年", "Год", "السنة"),
    "All years": ("全部年份", "Alle Jahre", "すべての年", "Все годы", "كل السنوات"),
    "City": ("城市", "Stadt", "都市", "Город", "المدينة"),
    "All cities": ("全部城市", "Alle Städte", "すべての都市", "Все города", "كل المدن"),
    "Show events": ("显示活动", "Veranstaltungen anzeigen", "イベントを表示", "Показать мероприятия", "اعرض الفعاليات"),
    "No events match these filters.": ("没有符合条件的活动。", "Keine Veranstaltung entspricht diesen Filtern.", "条件に合うイベントはありません。", "Нет мероприятий, соответствующих фильтрам.", "لا توجد فعاليات تطابق عوامل التصفية هذه."),
    "When": ("时间", "Wann", "日時", "Когда", "الموعد"),
    "Where": ("地点", "Wo", "場所", "Где", "المكان"),
    "Show on map": ("在地图上查看", "Auf der Karte zeigen", "地図で見る", "Показать на карте", "اعرض على الخريطة"),
    "Online": ("线上", "Online", "オンライン", "Онлайн", "عبر الإنترنت"),
    "Join online": ("在线参加", "Online teilnehmen", "オンラインで参加", "Участвовать онлайн", "شارك عبر الإنترنت"),
    "Register": ("报名", "Anmelden", "参加登録", "Зарегистрироваться", "سجّل"),
    "Add to calendar (.ics)": ("添加到日历 (.ics)", "In den Kalender (.ics)", "カレンダーに追加 (.ics)", "Добавить в календарь (.ics)", "أضف إلى التقويم (.ics)"),
    "Roadshow stops": ("路演站点", "Stationen der Roadshow", "ロードショー開催地", "Этапы роуд-шоу", "محطات الجولة الترويجية"),
    "Part of this event": ("本活动的组成部分", "Teil dieser Veranstaltung", "このイベントの構成", "В рамках мероприятия", "ضمن هذه الفعالية"),
    "Agenda": ("议程", "Programm", "プログラム", "Программа", "جدول الأعمال"),
    "Organizers": ("组织单位", "Veranstalter und Partner", "主催・協力", "Организаторы", "الجهات المنظمة"),
    "News about this event": ("本活动新闻", "Nachrichten zu dieser Veranstaltung", "このイベントのニュース", "Новости мероприятия", "أخبار هذه الفعالية"),
    "Upcoming events": ("即将举行的活动", "Kommende Veranstaltungen", "今後のイベント", "Предстоящие мероприятия", "الفعاليات القادمة"),
    "No upcoming events at the moment.": ("目前没有即将举行的活动。", "Zurzeit gibt es keine kommenden Veranstaltungen.", "現在予定されているイベントはありません。", "Сейчас нет предстоящих мероприятий.", "لا توجد فعاليات قادمة حاليًا."),
    "Latest news": ("最新消息", "Neueste Nachrichten", "最新ニュース", "Последние новости", "آخر الأخبار"),
    "No news yet.": ("暂无新闻。", "Noch keine Nachrichten.", "ニュースはまだありません。", "Новостей пока нет.", "لا توجد أخبار بعد."),
    "In %(shown)s": ("%(shown)s版", "Auf %(shown)s", "%(shown)sで表示", "На языке «%(shown)s»", "باللغة %(shown)s"),
    ("pagination", "Pages"): ("分页", "Seiten", "ページ", "Страницы", "الصفحات"),
    ("pagination", "Previous"): ("上一页", "Zurück", "前へ", "Назад", "السابق"),
    "Page %(number)s of %(total)s": ("第 %(number)s 页，共 %(total)s 页", "Seite %(number)s von %(total)s", "%(total)s ページ中 %(number)s ページ目", "Страница %(number)s из %(total)s", "الصفحة %(number)s من %(total)s"),
    ("pagination", "Next"): ("下一页", "Weiter", "次へ", "Далее", "التالي"),
    "News tagged “%(tag)s”": ("标签为“%(tag)s”的新闻", "Nachrichten zum Stichwort „%(tag)s“", "タグ「%(tag)s」のニュース", "Новости с меткой «%(tag)s»", "أخبار موسومة بـ «%(tag)s»"),
    "All news": ("全部新闻", "Alle Nachrichten", "すべてのニュース", "Все новости", "كل الأخبار"),
    "Follow the news:": ("订阅新闻：", "Nachrichten abonnieren:", "ニュースを購読：", "Подписаться на новости:", "تابع الأخبار:"),
    "Related event:": ("相关活动：", "Zugehörige Veranstaltung:", "関連イベント：", "Связанное мероприятие:", "الفعالية ذات الصلة:"),
    "Tags:": ("标签：", "Stichwörter:", "タグ：", "Метки:", "الوسوم:"),
    "Nothing found for “%(query)s” in this language.": ("在本语言中未找到“%(query)s”。", "Nichts gefunden für „%(query)s“ in dieser Sprache.", "この言語では「%(query)s」は見つかりませんでした。", "По запросу «%(query)s» на этом языке ничего не найдено.", "لم يُعثر على «%(query)s» بهذه اللغة."),
    "Type a word in the search box to search this site.": ("在搜索框中输入关键词即可搜索本站。", "Geben Sie ein Wort in das Suchfeld ein, um die Website zu durchsuchen.", "検索ボックスに言葉を入力してサイト内を検索できます。", "Введите слово в поле поиска, чтобы искать по сайту.", "اكتب كلمة في مربع البحث للبحث في هذا الموقع."),
    "%(when)s (%(zone)s, %(offset)s)": ("%(when)s（%(zone)s，%(offset)s）", "%(when)s (%(zone)s, %(offset)s)", "%(when)s（%(zone)s、%(offset)s）", "%(when)s (%(zone)s, %(offset)s)", "%(when)s (%(zone)s، %(offset)s)"),
    "Page not found": ("页面没有找到", "Seite nicht gefunden", "ページが見つかりません", "Страница не найдена", "الصفحة غير موجودة"),
    "The page you asked for does not exist or has moved.": ("您访问的页面不存在或已移动。", "Die gesuchte Seite gibt es nicht oder sie wurde verschoben.", "お探しのページは存在しないか、移動しました。", "Запрошенная страница не существует или была перемещена.", "الصفحة التي طلبتها غير موجودة أو تم نقلها."),
    "Go to the home page": ("返回首页", "Zur Startseite", "トップページへ", "На главную страницу", "الانتقال إلى الصفحة الرئيسية"),
    "Something went wrong": ("出错了", "Etwas ist schiefgelaufen", "エラーが発生しました", "Что-то пошло не так", "حدث خطأ ما"),
    "The error has been recorded. Please try again in a few minutes.": ("错误已记录，请几分钟后再试。", "Der Fehler wurde erfasst. Bitte versuchen Sie es in einigen Minuten erneut.", "エラーは記録されました。数分後にもう一度お試しください。", "Ошибка зарегистрирована. Попробуйте ещё раз через несколько минут.", "تم تسجيل الخطأ. يُرجى المحاولة مرة أخرى بعد بضع دقائق."),
    "Telephone": ("电话", "Telefon", "電話", "Телефон", "الهاتف"),
    "Email": ("电子邮件", "E-Mail", "メール", "Эл. почта", "البريد الإلكتروني"),
}

# Plural messages: msgid -> per language, the list of plural forms in that language's order.
P: dict[str, dict[str, list[str]]] = {
    "%(counter)s result for “%(query)s”": {
        "en": ["%(counter)s result for “%(query)s”", "%(counter)s results for “%(query)s”"],
        "zh_Hans": ["“%(query)s”的搜索结果：%(counter)s 条"],
        "de": ["%(counter)s Ergebnis für „%(query)s“", "%(counter)s Ergebnisse für „%(query)s“"],
        "ja": ["「%(query)s」の検索結果：%(counter)s 件"],
        "ru": ["%(counter)s результат по запросу «%(query)s»", "%(counter)s результата по запросу «%(query)s»", "%(counter)s результатов по запросу «%(query)s»", "%(counter)s результата по запросу «%(query)s»"],
        "ar": ["لا نتائج لـ «%(query)s»", "نتيجة واحدة لـ «%(query)s»", "نتيجتان لـ «%(query)s»", "%(counter)s نتائج لـ «%(query)s»", "%(counter)s نتيجة لـ «%(query)s»", "%(counter)s نتيجة لـ «%(query)s»"],
    },
}
# fmt: on

COLUMNS = ["zh_Hans", "de", "ja", "ru", "ar"]


def fill() -> int:
    from pathlib import Path

    import polib

    missing = 0
    for language in ["en", *COLUMNS]:
        path = Path(__file__).parent / language / "LC_MESSAGES" / "django.po"
        catalogue = polib.pofile(str(path))
        catalogue.metadata.update(
            {
                "Project-Id-Version": "Liaison public site",
                "Language": language,
                "Language-Team": "Liaison",
                "Last-Translator": "Liaison",
            }
        )
        for entry in catalogue:
            entry.flags = [flag for flag in entry.flags if flag != "fuzzy"]
            if entry.msgid_plural:
                forms = P.get(entry.msgid, {}).get(language)
                if forms is None:
                    print(f"{language}: no plural translation for {entry.msgid!r}")
                    missing += 1
                    continue
                entry.msgstr_plural = dict(enumerate(forms))
            elif language == "en":
                entry.msgstr = entry.msgid
            elif (key := (entry.msgctxt, entry.msgid) if entry.msgctxt else entry.msgid) in T:
                entry.msgstr = T[key][COLUMNS.index(language)]
            else:
                print(f"{language}: no translation for {entry.msgid!r}")
                missing += 1
        catalogue.save()
    return missing


if __name__ == "__main__":
    raise SystemExit(1 if fill() else 0)
