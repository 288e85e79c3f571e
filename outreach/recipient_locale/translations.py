# ruff: noqa: E501 - one line per message keeps its languages side by side
"""The recipients' public pages (unsubscribe, preferences, invalid link, RSVP page and mail) in every language a
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
# A msgid with a context (pgettext) is keyed by (context, msgid).
T: dict[str | tuple[str, str], tuple[str, str, str, str]] = {
    "Your email preferences": ("Ihre E-Mail-Einstellungen", "メール配信設定", "Настройки рассылки", "تفضيلات البريد الإلكتروني"),
    "Your choices are saved.": ("Ihre Auswahl ist gespeichert.", "設定を保存しました。", "Ваш выбор сохранён.", "تم حفظ اختياراتك."),
    "Keep receiving messages about:": ("Weiterhin Nachrichten erhalten zu:", "引き続き受け取るメッセージ：", "Продолжать получать сообщения:", "مواصلة تلقي الرسائل بشأن:"),
    "Save": ("Speichern", "保存", "Сохранить", "حفظ"),
    "Messages from %(sender)s": ("Nachrichten von %(sender)s", "%(sender)sからのメッセージ", "Сообщения от %(sender)s", "رسائل من %(sender)s"),
    "You receive this message from %(sender)s because of your contact with the office.": ("Sie erhalten diese Nachricht von %(sender)s aufgrund Ihres Kontakts mit unserem Büro.", "%(sender)sとのこれまでのご縁により、このメッセージをお送りしています。", "Вы получили это сообщение от %(sender)s, так как состоите в контакте с нашим офисом.", "تصلك هذه الرسالة من %(sender)s بسبب تواصلك مع مكتبنا."),
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
    # RSVP page, its mail and its link pages
    "Awaiting staff approval": ("Wartet auf Bestätigung durch das Team", "事務局の承認待ち", "Ожидает подтверждения организаторов", "بانتظار موافقة المنظمين"),
    "Accepted": ("Zugesagt", "出席", "Принято", "مقبول"),
    "On the waitlist": ("Auf der Warteliste", "キャンセル待ち", "В листе ожидания", "على قائمة الانتظار"),
    "Place offered (on hold)": ("Platz angeboten (reserviert)", "席をご用意しています（仮押さえ中）", "Место предложено (забронировано)", "تم عرض مقعد (محجوز مؤقتًا)"),
    "Declined": ("Abgesagt", "欠席", "Отклонено", "معتذر"),
    "Sent a delegate": ("Vertretung benannt", "代理出席者を指名", "Направлен представитель", "تم إرسال مندوب"),
    "Request refused": ("Anfrage abgelehnt", "申請は承認されませんでした", "Заявка отклонена", "تم رفض الطلب"),
    "Offer expired": ("Angebot abgelaufen", "仮押さえの期限切れ", "Срок предложения истёк", "انتهت صلاحية العرض"),
    "Cancelled": ("Storniert", "取消済み", "Отменено", "ملغى"),
    "Please give the delegate's email address.": ("Bitte geben Sie die E-Mail-Adresse Ihrer Vertretung an.", "代理出席者のメールアドレスをご入力ください。", "Укажите адрес эл. почты представителя.", "يُرجى إدخال البريد الإلكتروني للمندوب."),
    "Please give the delegate's name.": ("Bitte geben Sie den Namen Ihrer Vertretung an.", "代理出席者のお名前をご入力ください。", "Укажите имя представителя.", "يُرجى إدخال اسم المندوب."),
    "Please choose an answer.": ("Bitte wählen Sie eine Antwort.", "ご回答をお選びください。", "Пожалуйста, выберите ответ.", "يُرجى اختيار إجابة."),
    "This event has been cancelled.": ("Diese Veranstaltung wurde abgesagt.", "このイベントは中止になりました。", "Это мероприятие отменено.", "تم إلغاء هذه الفعالية."),
    "The deadline for answering this invitation has passed.": ("Die Antwortfrist für diese Einladung ist abgelaufen.", "このご招待への回答期限は過ぎました。", "Срок ответа на это приглашение истёк.", "انتهى الموعد النهائي للرد على هذه الدعوة."),
    "You may bring up to %(n)d companions.": ("Sie können bis zu %(n)d Begleitpersonen mitbringen.", "同伴者は%(n)d名までです。", "Вы можете взять с собой до %(n)d сопровождающих.", "يمكنك اصطحاب ما يصل إلى %(n)d من المرافقين."),
    "Please choose among the sessions listed.": ("Bitte wählen Sie unter den aufgeführten Programmpunkten.", "記載のセッションからお選びください。", "Выберите из перечисленных сессий.", "يُرجى الاختيار من بين الجلسات المدرجة."),
    "Please answer: %(question)s": ("Bitte beantworten Sie: %(question)s", "ご回答ください：%(question)s", "Пожалуйста, ответьте: %(question)s", "يُرجى الإجابة: %(question)s"),
    "Please choose an option.": ("Bitte wählen Sie eine Option.", "選択肢からお選びください。", "Выберите вариант.", "يُرجى اختيار أحد الخيارات."),
    "Please answer yes or no.": ("Bitte antworten Sie mit Ja oder Nein.", "「はい」か「いいえ」でお答えください。", "Ответьте «да» или «нет».", "يُرجى الإجابة بنعم أو لا."),
    "There are not enough places left for %(n)d people.": ("Es sind nicht mehr genug Plätze für %(n)d Personen frei.", "%(n)d名分の空席がありません。", "Осталось недостаточно мест для %(n)d человек.", "لم تعد هناك أماكن كافية لـ %(n)d أشخاص."),
    "%(session)s is full; please choose another session.": ("%(session)s ist ausgebucht; bitte wählen Sie einen anderen Programmpunkt.", "%(session)sは満席です。別のセッションをお選びください。", "%(session)s: мест нет, выберите другую сессию.", "%(session)s ممتلئة؛ يُرجى اختيار جلسة أخرى."),
    "The delegate must be another person.": ("Die Vertretung muss eine andere Person sein.", "代理出席者はご本人以外の方にしてください。", "Представителем должен быть другой человек.", "يجب أن يكون المندوب شخصًا آخر."),
    "Your place is confirmed: %(event)s": ("Ihr Platz ist bestätigt: %(event)s", "ご出席を承りました：%(event)s", "Ваше место подтверждено: %(event)s", "تم تأكيد مقعدك: %(event)s"),
    "You are on the waitlist: %(event)s": ("Sie stehen auf der Warteliste: %(event)s", "キャンセル待ちに登録しました：%(event)s", "Вы в листе ожидания: %(event)s", "أنت على قائمة الانتظار: %(event)s"),
    "A place is free for you: %(event)s": ("Ein Platz ist für Sie frei: %(event)s", "お席をご用意できました：%(event)s", "Для вас освободилось место: %(event)s", "أصبح هناك مقعد متاح لك: %(event)s"),
    "Your request has been received: %(event)s": ("Ihre Anfrage ist eingegangen: %(event)s", "お申し込みを受け付けました：%(event)s", "Ваша заявка получена: %(event)s", "تم استلام طلبك: %(event)s"),
    "Your request could not be accepted: %(event)s": ("Ihre Anfrage konnte nicht angenommen werden: %(event)s", "お申し込みをお受けできませんでした：%(event)s", "Ваша заявка не может быть принята: %(event)s", "تعذّر قبول طلبك: %(event)s"),
    "The place held for you has been released: %(event)s": ("Der für Sie reservierte Platz wurde freigegeben: %(event)s", "仮押さえのお席を解放しました：%(event)s", "Забронированное для вас место освобождено: %(event)s", "تم تحرير المقعد المحجوز لك: %(event)s"),
    "Thank you for your answer: %(event)s": ("Vielen Dank für Ihre Antwort: %(event)s", "ご回答ありがとうございます：%(event)s", "Спасибо за ответ: %(event)s", "شكرًا على ردك: %(event)s"),
    "Your delegate is registered: %(event)s": ("Ihre Vertretung ist angemeldet: %(event)s", "代理出席者を登録しました：%(event)s", "Ваш представитель зарегистрирован: %(event)s", "تم تسجيل مندوبك: %(event)s"),
    "Your registration is cancelled: %(event)s": ("Ihre Anmeldung ist storniert: %(event)s", "ご登録は取り消されました：%(event)s", "Ваша регистрация отменена: %(event)s", "تم إلغاء تسجيلك: %(event)s"),
    "Your registration is updated: %(event)s": ("Ihre Anmeldung ist aktualisiert: %(event)s", "ご登録内容を更新しました：%(event)s", "Ваша регистрация обновлена: %(event)s", "تم تحديث تسجيلك: %(event)s"),
    "Changed: %(event)s": ("Geändert: %(event)s", "変更のお知らせ：%(event)s", "Изменение: %(event)s", "تغيير: %(event)s"),
    "Cancelled: %(event)s": ("Abgesagt: %(event)s", "中止のお知らせ：%(event)s", "Отмена: %(event)s", "إلغاء: %(event)s"),
    "This message concerns %(guest_name)s; you receive it because you answered on their behalf.": ("Diese Nachricht betrifft %(guest_name)s; Sie erhalten sie, weil Sie in deren Namen geantwortet haben.", "このメッセージは%(guest_name)s様に関するものです。代理でご回答いただいたためお送りしています。", "Это сообщение касается %(guest_name)s; вы получили его, потому что ответили от их имени.", "تتعلق هذه الرسالة بـ %(guest_name)s؛ وقد وصلتك لأنك أجبت نيابةً عنه."),
    "We are delighted to confirm your place.": ("Wir freuen uns, Ihren Platz zu bestätigen.", "ご出席を心より歓迎いたします。", "Мы рады подтвердить ваше место.", "يسعدنا تأكيد مقعدك."),
    "The event is full at the moment. You are on the waitlist, and we will write to you as soon as a place is free.": ("Die Veranstaltung ist derzeit ausgebucht. Sie stehen auf der Warteliste; wir schreiben Ihnen, sobald ein Platz frei wird.", "現在満席のため、キャンセル待ちに登録しました。空席が出次第ご連絡いたします。", "Сейчас мест нет. Вы в листе ожидания; мы напишем вам, как только освободится место.", "الفعالية ممتلئة حاليًا. أنت على قائمة الانتظار، وسنراسلك فور توفر مقعد."),
    "A place has become free and is held for you until %(until)s. Please confirm it with the link below.": ("Ein Platz ist frei geworden und bis %(until)s für Sie reserviert. Bitte bestätigen Sie ihn über den Link unten.", "お席に空きが出ました。%(until)sまで確保しています。下のリンクからご確定ください。", "Освободилось место; оно забронировано для вас до %(until)s. Подтвердите его по ссылке ниже.", "أصبح هناك مقعد متاح ومحجوز لك حتى %(until)s. يُرجى تأكيده عبر الرابط أدناه."),
    "Thank you. The organisers will confirm your registration shortly.": ("Vielen Dank. Die Veranstalter bestätigen Ihre Anmeldung in Kürze.", "ありがとうございます。主催者より追って確定のご連絡をいたします。", "Спасибо. Организаторы скоро подтвердят вашу регистрацию.", "شكرًا لك. سيؤكد المنظمون تسجيلك قريبًا."),
    "We regret that we cannot offer a place this time.": ("Leider können wir Ihnen diesmal keinen Platz anbieten.", "誠に恐縮ながら、今回はお席をご用意できません。", "К сожалению, в этот раз мы не можем предложить вам место.", "نأسف لعدم تمكننا من توفير مقعد لك هذه المرة."),
    "The place held for you has been offered to the next guest. You can still answer with the link below.": ("Der für Sie reservierte Platz wurde dem nächsten Gast angeboten. Sie können weiterhin über den Link unten antworten.", "仮押さえのお席は次の方にご案内しました。下のリンクから引き続きご回答いただけます。", "Забронированное место предложено следующему гостю. Вы по-прежнему можете ответить по ссылке ниже.", "تم عرض المقعد المحجوز لك على الضيف التالي. لا يزال بإمكانك الرد عبر الرابط أدناه."),
    "Thank you for letting us know. We hope to welcome you at another event.": ("Vielen Dank für Ihre Nachricht. Wir hoffen, Sie bei einer anderen Veranstaltung begrüßen zu dürfen.", "ご連絡ありがとうございます。別の機会にお目にかかれますことを願っております。", "Спасибо, что сообщили. Надеемся увидеть вас на другом мероприятии.", "شكرًا لإبلاغنا. نأمل أن نرحب بك في فعالية أخرى."),
    "Thank you for naming a delegate. They receive their own confirmation.": ("Vielen Dank, dass Sie eine Vertretung benannt haben. Sie erhält eine eigene Bestätigung.", "代理出席者のご指名ありがとうございます。ご本人にも確認のご連絡をお送りします。", "Спасибо, что назначили представителя. Он получит отдельное подтверждение.", "شكرًا لتسمية مندوب. سيتلقى تأكيدًا خاصًا به."),
    "Your registration for this event is cancelled.": ("Ihre Anmeldung zu dieser Veranstaltung ist storniert.", "このイベントへのご登録は取り消されました。", "Ваша регистрация на это мероприятие отменена.", "تم إلغاء تسجيلك في هذه الفعالية."),
    "See or change your answer": ("Antwort ansehen oder ändern", "ご回答の確認・変更", "Посмотреть или изменить ответ", "عرض ردك أو تغييره"),
    "Add to Google Calendar": ("Zu Google Kalender hinzufügen", "Google カレンダーに追加", "Добавить в Google Календарь", "إضافة إلى تقويم Google"),
    "Add to Outlook": ("Zu Outlook hinzufügen", "Outlook に追加", "Добавить в Outlook", "إضافة إلى Outlook"),
    "Companions": ("Begleitpersonen", "同伴者", "Сопровождающие", "المرافقون"),
    "Your answer: %(event)s": ("Ihre Antwort: %(event)s", "ご回答：%(event)s", "Ваш ответ: %(event)s", "ردك: %(event)s"),
    "Invitation for %(invitee)s": ("Einladung für %(invitee)s", "%(invitee)sへのご招待", "Приглашение для %(invitee)s", "دعوة إلى %(invitee)s"),
    "You are answering as the assistant of %(invitee)s (%(assistant)s).": ("Sie antworten als Assistenz von %(invitee)s (%(assistant)s).", "%(invitee)sの秘書としてご回答いただいています（%(assistant)s）。", "Вы отвечаете как помощник %(invitee)s (%(assistant)s).", "أنت تجيب بصفتك مساعد %(invitee)s (%(assistant)s)."),
    "When": ("Wann", "日時", "Когда", "الموعد"),
    "Where": ("Wo", "会場", "Где", "المكان"),
    "Please answer by": ("Bitte antworten Sie bis", "回答期限", "Пожалуйста, ответьте до", "يُرجى الرد قبل"),
    "About the event": ("Zur Veranstaltung", "イベントについて", "О мероприятии", "عن الفعالية"),
    "Thank you, your answer is saved.": ("Vielen Dank, Ihre Antwort ist gespeichert.", "ありがとうございます。ご回答を保存しました。", "Спасибо, ваш ответ сохранён.", "شكرًا، تم حفظ ردك."),
    "Your answer: %(answer)s": ("Ihre Antwort: %(answer)s", "ご回答：%(answer)s", "Ваш ответ: %(answer)s", "ردك: %(answer)s"),
    "The place is held for you until %(until)s.": ("Der Platz ist bis %(until)s für Sie reserviert.", "%(until)sまでお席を確保しています。", "Место забронировано для вас до %(until)s.", "المقعد محجوز لك حتى %(until)s."),
    "The deadline for answering has passed. If your plans have changed, please write to the organisers; they will be glad to help.": ("Die Antwortfrist ist abgelaufen. Wenn sich Ihre Pläne geändert haben, schreiben Sie bitte den Veranstaltern; sie helfen gerne.", "回答期限を過ぎました。ご予定が変わった場合は、主催者までご連絡ください。喜んで対応いたします。", "Срок ответа истёк. Если ваши планы изменились, напишите организаторам — они будут рады помочь.", "انتهى الموعد النهائي للرد. إذا تغيّرت خططك، يُرجى مراسلة المنظمين؛ وسيسعدهم مساعدتك."),
    "Will you attend?": ("Nehmen Sie teil?", "ご出席いただけますか？", "Вы примете участие?", "هل ستحضر؟"),
    "Yes, I will attend": ("Ja, ich nehme teil", "はい、出席します", "Да, я приду", "نعم، سأحضر"),
    "No, I cannot attend": ("Nein, ich kann nicht teilnehmen", "いいえ、欠席します", "Нет, я не смогу прийти", "لا، لا أستطيع الحضور"),
    "I will send a delegate": ("Ich schicke eine Vertretung", "代理の者が出席します", "Я направлю представителя", "سأرسل مندوبًا"),
    "Companion %(n)s: name in native script": ("Begleitperson %(n)s: Name in Originalschrift", "同伴者%(n)s：現地表記の氏名", "Сопровождающий %(n)s: имя в оригинальном написании", "المرافق %(n)s: الاسم بالكتابة الأصلية"),
    "Companion %(n)s: name in Latin letters": ("Begleitperson %(n)s: Name in lateinischer Schrift", "同伴者%(n)s：ローマ字の氏名", "Сопровождающий %(n)s: имя латиницей", "المرافق %(n)s: الاسم بالحروف اللاتينية"),
    ("programme", "Sessions"): ("Programmpunkte", "セッション", "Сессии", "الجلسات"),
    "full": ("ausgebucht", "満席", "мест нет", "ممتلئة"),
    "A few questions": ("Einige Fragen", "いくつかのご質問", "Несколько вопросов", "بعض الأسئلة"),
    "Yes": ("Ja", "はい", "Да", "نعم"),
    "No": ("Nein", "いいえ", "Нет", "لا"),
    "If you cannot attend": ("Falls Sie nicht teilnehmen können", "ご欠席の場合", "Если вы не сможете прийти", "إذا لم تتمكن من الحضور"),
    "Reason (optional)": ("Grund (optional)", "理由（任意）", "Причина (необязательно)", "السبب (اختياري)"),
    "Your delegate": ("Ihre Vertretung", "代理出席者", "Ваш представитель", "مندوبك"),
    "Family name": ("Nachname", "姓", "Фамилия", "اسم العائلة"),
    "Given name": ("Vorname", "名", "Имя", "الاسم الأول"),
    "Name in native script": ("Name in Originalschrift", "現地表記の氏名", "Имя в оригинальном написании", "الاسم بالكتابة الأصلية"),
    "Email": ("E-Mail", "メールアドレス", "Эл. почта", "البريد الإلكتروني"),
    "The organisers will confirm your delegate.": ("Die Veranstalter bestätigen Ihre Vertretung.", "代理出席者は主催者が確認のうえ確定します。", "Организаторы подтвердят вашего представителя.", "سيؤكد المنظمون مندوبك."),
    "Send my answer": ("Antwort senden", "回答を送信", "Отправить ответ", "إرسال ردي"),
    "Languages": ("Sprachen", "言語", "Языки", "اللغات"),
    "This link has expired": ("Dieser Link ist abgelaufen", "このリンクは有効期限切れです", "Срок действия ссылки истёк", "انتهت صلاحية هذا الرابط"),
    "The invitation this link belongs to is no longer open for answers. If you would like to attend, please write to the organisers.": ("Die Einladung zu diesem Link nimmt keine Antworten mehr an. Wenn Sie teilnehmen möchten, schreiben Sie bitte den Veranstaltern.", "このリンクのご招待は回答の受付を終了しました。ご出席を希望される場合は主催者までご連絡ください。", "Приглашение по этой ссылке больше не принимает ответы. Если вы хотите прийти, напишите организаторам.", "لم تعد الدعوة المرتبطة بهذا الرابط تقبل الردود. إذا كنت ترغب في الحضور، يُرجى مراسلة المنظمين."),
    "This link is no longer valid": ("Dieser Link ist nicht mehr gültig", "このリンクは無効になりました", "Эта ссылка больше не действительна", "لم يعد هذا الرابط صالحًا"),
    "The organisers have replaced this invitation link. Please use the most recent message you received, or write to the organisers.": ("Die Veranstalter haben diesen Einladungslink ersetzt. Bitte verwenden Sie die neueste Nachricht, die Sie erhalten haben, oder schreiben Sie den Veranstaltern.", "主催者がこの招待リンクを差し替えました。最新のメッセージのリンクをご利用いただくか、主催者までご連絡ください。", "Организаторы заменили эту ссылку. Воспользуйтесь последним полученным сообщением или напишите организаторам.", "استبدل المنظمون رابط الدعوة هذا. يُرجى استخدام أحدث رسالة تلقيتها، أو مراسلة المنظمين."),
    "I agree that the organisers keep my details to handle this registration and to invite me to their events. I can withdraw at any time.": ("Ich bin einverstanden, dass die Veranstalter meine Angaben speichern, um diese Anmeldung zu bearbeiten und mich zu ihren Veranstaltungen einzuladen. Ich kann dies jederzeit widerrufen.", "本登録の手続きおよび主催者のイベントへのご案内のため、主催者が私の情報を保管することに同意します。同意はいつでも撤回できます。", "Я согласен(на), чтобы организаторы хранили мои данные для обработки этой регистрации и приглашений на их мероприятия. Я могу отозвать согласие в любой момент.", "أوافق على احتفاظ المنظمين ببياناتي لمعالجة هذا التسجيل ودعوتي إلى فعالياتهم. ويمكنني سحب موافقتي في أي وقت."),
    "Too many registrations from your connection. Please try again later.": ("Zu viele Anmeldungen von Ihrer Verbindung. Bitte versuchen Sie es später erneut.", "お使いの接続からの登録が多すぎます。しばらくしてから再度お試しください。", "Слишком много регистраций с вашего подключения. Попробуйте позже.", "عدد كبير جدًا من التسجيلات من اتصالك. يُرجى المحاولة لاحقًا."),
    "Register: %(event)s": ("Anmeldung: %(event)s", "参加登録：%(event)s", "Регистрация: %(event)s", "التسجيل: %(event)s"),
    "Registration for this event is closed.": ("Die Anmeldung zu dieser Veranstaltung ist geschlossen.", "このイベントの参加登録は締め切りました。", "Регистрация на это мероприятие закрыта.", "التسجيل في هذه الفعالية مغلق."),
    "Please check your mailbox: we have sent you a link to confirm your registration.": ("Bitte sehen Sie in Ihr Postfach: Wir haben Ihnen einen Link zur Bestätigung Ihrer Anmeldung geschickt.", "メールをご確認ください。登録を確定するためのリンクをお送りしました。", "Проверьте почту: мы отправили вам ссылку для подтверждения регистрации.", "يُرجى التحقق من بريدك: أرسلنا إليك رابطًا لتأكيد تسجيلك."),
    "Register": ("Anmelden", "参加登録", "Зарегистрироваться", "التسجيل"),
    "Confirm your registration": ("Anmeldung bestätigen", "参加登録の確定", "Подтвердите регистрацию", "أكّد تسجيلك"),
    "Confirm my registration": ("Anmeldung bestätigen", "登録を確定する", "Подтвердить регистрацию", "تأكيد تسجيلي"),
    "Thank you for registering.": ("Vielen Dank für Ihre Anmeldung.", "ご登録ありがとうございます。", "Спасибо за регистрацию.", "شكرًا لتسجيلك."),
    "Please confirm your registration with this link (valid for two days):": ("Bitte bestätigen Sie Ihre Anmeldung mit diesem Link (zwei Tage gültig):", "以下のリンクから登録を確定してください（有効期間2日）：", "Подтвердите регистрацию по этой ссылке (действует два дня):", "يُرجى تأكيد تسجيلك عبر هذا الرابط (صالح لمدة يومين):"),
    "If you did not register, you can ignore this message; nothing has been stored.": ("Wenn Sie sich nicht angemeldet haben, können Sie diese Nachricht ignorieren; es wurde nichts gespeichert.", "お心当たりのない場合は、このメッセージを破棄してください。情報は保存されていません。", "Если вы не регистрировались, просто проигнорируйте это письмо: ничего не сохранено.", "إذا لم تقم بالتسجيل، فيمكنك تجاهل هذه الرسالة؛ لم يتم حفظ أي شيء."),
    "Please confirm your registration: %(event)s": ("Bitte bestätigen Sie Ihre Anmeldung: %(event)s", "参加登録の確定をお願いします：%(event)s", "Подтвердите регистрацию: %(event)s", "يُرجى تأكيد تسجيلك: %(event)s"),
    # Check-in code page (outreach/public/checkin_code.py)
    "Your check-in code": ("Ihr Check-in-Code", "チェックイン用コード", "Ваш код для регистрации на входе", "رمز تسجيل الدخول الخاص بك"),
    "Show this code at the entrance. It works even if the entrance has no network.": ("Zeigen Sie diesen Code am Eingang vor. Er funktioniert auch ohne Netzverbindung am Eingang.", "受付でこのコードをご提示ください。受付がオフラインでも利用できます。", "Покажите этот код на входе. Он действует, даже если на входе нет сети.", "يُرجى إبراز هذا الرمز عند المدخل. يعمل حتى إن لم تتوفر شبكة عند المدخل."),
    "Show the attached QR code at the entrance, or open it here:": ("Zeigen Sie den beigefügten QR-Code am Eingang vor oder öffnen Sie ihn hier:", "受付で添付のQRコードをご提示いただくか、こちらからご覧ください：", "Покажите приложенный QR-код на входе или откройте его здесь:", "أبرز رمز QR المرفق عند المدخل، أو افتحه من هنا:"),
    "Companion": ("Begleitperson", "同伴者", "Сопровождающее лицо", "مرافق"),
    "There is no confirmed place for this invitation, so there is no check-in code.": ("Für diese Einladung gibt es keinen bestätigten Platz und daher keinen Check-in-Code.", "このご招待には確定したお席がないため、チェックイン用コードはありません。", "По этому приглашению нет подтверждённого места, поэтому кода для входа нет.", "لا يوجد مقعد مؤكد لهذه الدعوة، ولذلك لا يوجد رمز لتسجيل الدخول."),
    # "I am not <invitee>" on the RSVP page (a forwarded invitation)
    "I am not %(invitee)s": ("Ich bin nicht %(invitee)s", "%(invitee)s本人ではありません", "Я не %(invitee)s", "لست %(invitee)s"),
    "If this invitation was passed on to you, you can ask to attend yourself. %(invitee)s's answer is not changed; the organisers will confirm your place.": ("Wenn diese Einladung an Sie weitergeleitet wurde, können Sie selbst um Teilnahme bitten. Die Antwort von %(invitee)s bleibt unverändert; die Veranstalter bestätigen Ihren Platz.", "このご招待が転送されてきた場合は、ご自身の参加を申し込むことができます。%(invitee)s様のご回答は変更されません。お席は主催者が確定します。", "Если это приглашение переслали вам, вы можете сами подать заявку на участие. Ответ %(invitee)s не изменится; организаторы подтвердят ваше место.", "إذا أُعيد توجيه هذه الدعوة إليك، يمكنك طلب الحضور بنفسك. لن تتغير إجابة %(invitee)s؛ وسيؤكد المنظمون مقعدك."),
    "Ask to attend": ("Teilnahme anfragen", "参加を申し込む", "Подать заявку на участие", "طلب الحضور"),
    "Thank you. Please open the link we have just sent to your email address to confirm it; the organisers then consider your request.": ("Vielen Dank. Bitte öffnen Sie den Link, den wir soeben an Ihre E-Mail-Adresse geschickt haben, um sie zu bestätigen; danach prüfen die Veranstalter Ihre Anfrage.", "ありがとうございます。ご入力のメールアドレスにお送りしたリンクを開いてアドレスをご確認ください。その後、主催者がお申し込みを検討します。", "Спасибо. Откройте ссылку, которую мы только что отправили на ваш адрес эл. почты, чтобы подтвердить его; затем организаторы рассмотрят вашу заявку.", "شكرًا لك. يُرجى فتح الرابط الذي أرسلناه للتو إلى بريدك الإلكتروني لتأكيده؛ ثم ينظر المنظمون في طلبك."),
    "This is your own invitation: please answer it above.": ("Dies ist Ihre eigene Einladung: Bitte beantworten Sie sie oben.", "これはご本人宛てのご招待です。上のフォームからご回答ください。", "Это ваше собственное приглашение: ответьте на него выше.", "هذه دعوتك أنت: يُرجى الرد عليها أعلاه."),
    # A re-issued RSVP link (outreach/services/rsvp_links.py)
    "Your new invitation link: %(event)s": ("Ihr neuer Einladungslink: %(event)s", "新しいご招待リンク：%(event)s", "Ваша новая ссылка на приглашение: %(event)s", "رابط دعوتك الجديد: %(event)s"),
    "Your earlier link to answer this invitation no longer works. Please use this new personal link instead:": ("Ihr bisheriger Link zur Beantwortung dieser Einladung funktioniert nicht mehr. Bitte verwenden Sie stattdessen diesen neuen persönlichen Link:", "このご招待にご回答いただくための以前のリンクは無効になりました。代わりにこちらの新しい個人用リンクをご利用ください：", "Прежняя ссылка для ответа на это приглашение больше не действует. Воспользуйтесь новой персональной ссылкой:", "لم يعد الرابط السابق للرد على هذه الدعوة يعمل. يُرجى استخدام هذا الرابط الشخصي الجديد بدلًا منه:"),
    # Practical information in reminders to accepted guests (outreach/presentation.py)
    "Practical information": ("Praktische Hinweise", "ご来場のご案内", "Практическая информация", "معلومات عملية"),
    "Venue: %(venue)s": ("Veranstaltungsort: %(venue)s", "会場：%(venue)s", "Место проведения: %(venue)s", "المكان: %(venue)s"),
    "Address: %(address)s": ("Adresse: %(address)s", "住所：%(address)s", "Адрес: %(address)s", "العنوان: %(address)s"),
    "Map: %(url)s": ("Karte: %(url)s", "地図：%(url)s", "Карта: %(url)s", "الخريطة: %(url)s"),
    "Time: %(when)s": ("Zeit: %(when)s", "日時：%(when)s", "Время: %(when)s", "الموعد: %(when)s"),
    "In your time zone: %(when)s (%(zone)s)": ("In Ihrer Zeitzone: %(when)s (%(zone)s)", "お住まいの地域の時刻：%(when)s（%(zone)s）", "По вашему времени: %(when)s (%(zone)s)", "بتوقيتك المحلي: %(when)s (%(zone)s)"),
    "Dress code: %(dress)s": ("Kleiderordnung: %(dress)s", "服装：%(dress)s", "Дресс-код: %(dress)s", "قواعد اللباس: %(dress)s"),
    "Please bring: %(items)s": ("Bitte mitbringen: %(items)s", "お持ちいただくもの：%(items)s", "Пожалуйста, возьмите с собой: %(items)s", "يُرجى إحضار: %(items)s"),
    "Your check-in code: %(url)s": ("Ihr Check-in-Code: %(url)s", "チェックイン用コード：%(url)s", "Ваш код для входа: %(url)s", "رمز تسجيل الدخول الخاص بك: %(url)s"),
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
        for key, texts in T.items():
            context, msgid = key if isinstance(key, tuple) else (None, key)
            flags = ["python-format"] if "%(" in msgid else []
            catalogue.append(
                polib.POEntry(
                    msgctxt=context,
                    msgid=msgid,
                    msgstr=texts[COLUMNS.index(language)],
                    flags=flags,
                )
            )
        folder = here / language / "LC_MESSAGES"
        folder.mkdir(parents=True, exist_ok=True)
        catalogue.save(str(folder / "django.po"))
        catalogue.save_as_mofile(str(folder / "django.mo"))


if __name__ == "__main__":
    build()
