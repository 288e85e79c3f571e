# ruff: noqa: E501 - one line per language keeps the demo translations side by side
"""The words of the demo site, per language. Chinese (the source) and English are complete; German,
Japanese, Russian and Arabic translate only some pages, so the fallback to another language shows.

Rich text bodies are lists of paragraphs: wagtail-localize makes one segment per paragraph, and the
demo loader pairs them up by position."""

from __future__ import annotations

# fmt: off
HOME = {
    "zh-hans": {"title": "宁波国际活动", "intro": ["论坛、博览会、大赛与海外路演：与世界各地的伙伴在宁波相聚。"]},
    "en": {"title": "Ningbo International Events", "intro": ["Forums, expos, competitions and roadshows abroad: meet partners from around the world in Ningbo."]},
    "de": {"title": "Internationale Veranstaltungen in Ningbo", "intro": ["Foren, Messen, Wettbewerbe und Roadshows im Ausland: Treffen Sie Partner aus aller Welt in Ningbo."]},
    "ja": {"title": "寧波国際イベント", "intro": ["フォーラム、博覧会、コンテスト、海外ロードショー：世界のパートナーと寧波で出会う。"]},
    "ru": {"title": "Международные мероприятия Нинбо", "intro": ["Форумы, выставки, конкурсы и зарубежные роуд-шоу: встречайте партнёров со всего мира в Нинбо."]},
    "ar": {"title": "فعاليات نينغبو الدولية", "intro": ["منتديات ومعارض ومسابقات وجولات ترويجية في الخارج: التقوا بشركاء من جميع أنحاء العالم في نينغبو."]},
}

EVENT_INDEX = {
    "zh-hans": {"title": "活动", "intro": ["即将举行和往届的论坛、博览会、大赛与路演。"]},
    "en": {"title": "Events", "intro": ["Upcoming and past forums, expos, competitions and roadshows."]},
    "de": {"title": "Veranstaltungen", "intro": ["Kommende und vergangene Foren, Messen, Wettbewerbe und Roadshows."]},
    "ja": {"title": "イベント", "intro": ["今後および過去のフォーラム、博覧会、コンテスト、ロードショー。"]},
    "ru": {"title": "Мероприятия", "intro": ["Предстоящие и прошедшие форумы, выставки, конкурсы и роуд-шоу."]},
    "ar": {"title": "الفعاليات", "intro": ["المنتديات والمعارض والمسابقات والجولات الترويجية القادمة والسابقة."]},
}

NEWS_INDEX = {
    "zh-hans": {"title": "新闻", "intro": ["活动动态与合作消息。"]},
    "en": {"title": "News", "intro": ["Event updates and partnership news."]},
    "de": {"title": "Nachrichten", "intro": ["Neuigkeiten zu Veranstaltungen und Partnerschaften."]},
    "ja": {"title": "ニュース", "intro": ["イベント情報と提携ニュース。"]},
    "ru": {"title": "Новости", "intro": ["Новости мероприятий и партнёрств."]},
    "ar": {"title": "الأخبار", "intro": ["أخبار الفعاليات والشراكات."]},
}

ABOUT = {
    "zh-hans": {"title": "关于我们", "body": ["宁波市国际交流与会展促进办公室负责筹办国际论坛、博览会和大赛。", "我们与国际组织、友好城市、智库和宁波帮人士保持长期联系。"]},
    "en": {"title": "About us", "body": ["The Ningbo Office for International Exchange and Event Promotion organises international forums, expos and competitions.", "We keep long-term ties with international organizations, sister cities, think tanks and the Ningbo diaspora."]},
    "de": {"title": "Über uns", "body": ["Das Büro für internationalen Austausch und Veranstaltungsförderung der Stadt Ningbo organisiert internationale Foren, Messen und Wettbewerbe.", "Wir pflegen langfristige Beziehungen zu internationalen Organisationen, Partnerstädten, Denkfabriken und der Ningbo-Diaspora."]},
}

# Events: code -> operational facts and page words.
# day: days from today; hours: local start hour; length_days: duration.
EVENTS = [
    {
        "code": "wsmc", "kind": "umbrella", "parent": None, "day": 60, "hour": 9, "length_days": 3,
        "tz": "Asia/Shanghai", "venue": "Ningbo International Conference Center", "address": "Yinzhou District", "city": "Ningbo",
        "country": "CN", "lat": "29.818000", "lon": "121.556000", "registration": True, "colour": (11, 79, 138),
        "text": {
            "zh-hans": {"title": "世界智能制造大会", "intro_text": "会议、博览会与大赛一体化的年度盛会。", "body": ["大会汇聚全球制造业领袖、科学家和投资人。", "主论坛、分论坛、博览会与创新大赛同期举办。"]},
            "en": {"title": "World Smart Manufacturing Conference", "intro_text": "The yearly conference, expo and competition in one.", "body": ["The conference brings together manufacturing leaders, scientists and investors from around the world.", "The main forum, sub-forums, the expo and the innovation competition run side by side."]},
            "de": {"title": "Weltkonferenz für intelligente Fertigung", "intro_text": "Konferenz, Messe und Wettbewerb in einem, einmal im Jahr.", "body": ["Die Konferenz bringt Führungskräfte der Industrie, Wissenschaftler und Investoren aus aller Welt zusammen.", "Hauptforum, Unterforen, Messe und Innovationswettbewerb finden gleichzeitig statt."]},
            "ja": {"title": "世界スマート製造大会", "intro_text": "会議・博覧会・コンテストを一体化した年次イベント。", "body": ["世界の製造業リーダー、科学者、投資家が集まります。", "メインフォーラム、分科会、博覧会、イノベーションコンテストが同時に開催されます。"]},
            "ar": {"title": "المؤتمر العالمي للتصنيع الذكي", "intro_text": "المؤتمر والمعرض والمسابقة في حدث سنوي واحد.", "body": ["يجمع المؤتمر قادة الصناعة والعلماء والمستثمرين من جميع أنحاء العالم.", "يقام المنتدى الرئيسي والمنتديات الفرعية والمعرض ومسابقة الابتكار في الوقت نفسه."]},
        },
    },
    {
        "code": "wsmc-forum", "kind": "forum", "parent": "wsmc", "day": 60, "hour": 9, "length_days": 1,
        "tz": "Asia/Shanghai", "venue": "Ningbo International Conference Center, Main Hall", "address": "", "city": "Ningbo", "country": "CN",
        "lat": None, "lon": None, "registration": True, "colour": (20, 100, 160),
        "text": {
            "zh-hans": {"title": "主论坛：制造业的未来", "intro_text": "院士、部委领导与企业家共话智能制造。", "body": ["主论坛设主旨演讲与高端对话。"]},
            "en": {"title": "Main forum: the future of manufacturing", "intro_text": "Academicians, ministry leaders and entrepreneurs on smart manufacturing.", "body": ["The main forum has keynote speeches and a high-level dialogue."]},
        },
    },
    {
        "code": "wsmc-robotics", "kind": "sub_forum", "parent": "wsmc-forum", "day": 61, "hour": 9, "length_days": 0,
        "tz": "Asia/Shanghai", "venue": "Ningbo International Conference Center, Hall A", "address": "", "city": "Ningbo", "country": "CN",
        "lat": None, "lon": None, "registration": True, "colour": (40, 110, 90),
        "text": {
            "zh-hans": {"title": "分论坛：机器人与人工智能", "intro_text": "机器人产业与人工智能应用的最新进展。", "body": ["来自国际机器人协会的专家分享行业趋势。"]},
            "en": {"title": "Sub-forum: robotics and AI", "intro_text": "The latest in the robot industry and applied artificial intelligence.", "body": ["Experts from international robotics associations share industry trends."]},
        },
    },
    {
        "code": "wsmc-iiot", "kind": "sub_forum", "parent": "wsmc-forum", "day": 61, "hour": 14, "length_days": 0,
        "tz": "Asia/Shanghai", "venue": "Ningbo International Conference Center, Hall B", "address": "", "city": "Ningbo", "country": "CN",
        "lat": None, "lon": None, "registration": True, "colour": (90, 60, 140),
        "text": {
            "zh-hans": {"title": "分论坛：工业互联网", "intro_text": "工业互联网平台与中小企业数字化转型。", "body": ["平台企业与制造企业共同探讨数字化路径。"]},
            "en": {"title": "Sub-forum: industrial internet", "intro_text": "Industrial internet platforms and the digital shift of small manufacturers.", "body": ["Platform companies and manufacturers discuss paths to digital production."]},
        },
    },
    {
        "code": "wsmc-expo", "kind": "expo", "parent": "wsmc", "day": 60, "hour": 9, "length_days": 3,
        "tz": "Asia/Shanghai", "venue": "Ningbo International Convention and Exhibition Center", "address": "Yinzhou District", "city": "Ningbo", "country": "CN",
        "lat": "29.826000", "lon": "121.573000", "registration": True, "colour": (150, 70, 20),
        "text": {
            "zh-hans": {"title": "智能制造博览会", "intro_text": "线上线下双线展览，展示机器人、模具与新材料。", "body": ["展会设项目对接与签约仪式。", "线上展厅在展会结束后持续开放两个月。"]},
            "en": {"title": "Smart Manufacturing Expo", "intro_text": "An online and on-site exhibition of robots, moulds and new materials.", "body": ["The expo hosts project matchmaking and signing ceremonies.", "The online hall stays open for two months after the expo."]},
        },
    },
    {
        "code": "wsmc-competition", "kind": "competition", "parent": "wsmc", "day": 62, "hour": 9, "length_days": 0,
        "tz": "Asia/Shanghai", "venue": "Ningbo International Conference Center, Hall C", "address": "", "city": "Ningbo", "country": "CN",
        "lat": None, "lon": None, "registration": False, "colour": (130, 30, 60),
        "text": {
            "zh-hans": {"title": "创新创业大赛总决赛", "intro_text": "入围项目现场路演与答辩，评审团现场评分。", "body": ["初赛在线评审，决赛现场路演。"]},
            "en": {"title": "Innovation and Entrepreneurship Competition final", "intro_text": "Finalists pitch and defend their projects before the jury.", "body": ["The first round is reviewed online; the final is a live pitch."]},
        },
    },
    {
        "code": "roadshow", "kind": "roadshow", "parent": None, "day": 20, "hour": 10, "length_days": 25,
        "tz": "Asia/Shanghai", "venue": "", "address": "", "city": "", "country": "",
        "lat": None, "lon": None, "registration": False, "colour": (20, 110, 120),
        "text": {
            "zh-hans": {"title": "智能制造大会全球路演", "intro_text": "大会开幕前，我们在四个国家举办推介会。", "body": ["每站邀请当地企业、协会和宁波帮人士参加。"]},
            "en": {"title": "Smart Manufacturing Conference global roadshow", "intro_text": "Before the conference opens, we present it in four countries.", "body": ["Each stop invites local companies, associations and the Ningbo diaspora."]},
            "de": {"title": "Weltweite Roadshow der Konferenz für intelligente Fertigung", "intro_text": "Vor der Konferenz stellen wir sie in vier Ländern vor.", "body": ["Zu jeder Station laden wir örtliche Unternehmen, Verbände und die Ningbo-Diaspora ein."]},
        },
    },
    {
        "code": "roadshow-hamburg", "kind": "roadshow_stop", "parent": "roadshow", "day": 20, "hour": 14, "length_days": 0,
        "tz": "Europe/Berlin", "venue": "Handelskammer Hamburg", "address": "Adolphsplatz 1", "city": "Hamburg",
        "country": "DE", "lat": "53.549700", "lon": "9.990100", "registration": True, "colour": (60, 60, 60),
        "text": {
            "zh-hans": {"title": "路演：汉堡站", "intro_text": "在汉堡商会推介大会与宁波投资环境。", "body": ["汉堡是宁波的友好城市。"]},
            "en": {"title": "Roadshow: Hamburg", "intro_text": "Presenting the conference and Ningbo at the Hamburg Chamber of Commerce.", "body": ["Hamburg is a sister city of Ningbo."]},
            "de": {"title": "Roadshow: Hamburg", "intro_text": "Vorstellung der Konferenz und Ningbos in der Handelskammer Hamburg.", "body": ["Hamburg ist eine Partnerstadt von Ningbo."]},
        },
    },
    {
        "code": "roadshow-osaka", "kind": "roadshow_stop", "parent": "roadshow", "day": 27, "hour": 14, "length_days": 0,
        "tz": "Asia/Tokyo", "venue": "Osaka International Convention Center", "address": "5-3-51 Nakanoshima", "city": "Osaka",
        "country": "JP", "lat": "34.691400", "lon": "135.485800", "registration": True, "colour": (170, 40, 40),
        "text": {
            "zh-hans": {"title": "路演：大阪站", "intro_text": "在大阪国际会议场与日本企业交流。", "body": ["重点推介机器人与模具产业合作。"]},
            "en": {"title": "Roadshow: Osaka", "intro_text": "Meeting Japanese companies at the Osaka International Convention Center.", "body": ["The focus is cooperation in robotics and moulds."]},
            "ja": {"title": "ロードショー：大阪", "intro_text": "大阪国際会議場で日本企業と交流します。", "body": ["ロボットと金型分野の協力を中心に紹介します。"]},
        },
    },
    {
        "code": "roadshow-spb", "kind": "roadshow_stop", "parent": "roadshow", "day": 34, "hour": 11, "length_days": 0,
        "tz": "Europe/Moscow", "venue": "Expoforum", "address": "Peterburgskoye shosse 64/1", "city": "Saint Petersburg",
        "country": "RU", "lat": "59.763300", "lon": "30.360800", "registration": True, "colour": (40, 70, 140),
        "text": {
            "zh-hans": {"title": "路演：圣彼得堡站", "intro_text": "在圣彼得堡推介新材料与港口物流合作。", "body": ["邀请当地工业协会和大学参加。"]},
            "en": {"title": "Roadshow: Saint Petersburg", "intro_text": "Presenting new materials and port logistics cooperation in Saint Petersburg.", "body": ["Local industry associations and universities are invited."]},
            "ru": {"title": "Роуд-шоу: Санкт-Петербург", "intro_text": "Презентация сотрудничества в области новых материалов и портовой логистики.", "body": ["Приглашены местные отраслевые ассоциации и университеты."]},
        },
    },
    {
        "code": "roadshow-dubai", "kind": "roadshow_stop", "parent": "roadshow", "day": 41, "hour": 10, "length_days": 0,
        "tz": "Asia/Dubai", "venue": "Dubai World Trade Centre", "address": "Sheikh Zayed Road", "city": "Dubai",
        "country": "AE", "lat": "25.224300", "lon": "55.286600", "registration": True, "colour": (150, 110, 20),
        "text": {
            "zh-hans": {"title": "路演：迪拜站", "intro_text": "在迪拜世界贸易中心面向中东市场推介。", "body": ["重点介绍智能制造与跨境贸易机会。"]},
            "en": {"title": "Roadshow: Dubai", "intro_text": "Presenting to Middle Eastern markets at the Dubai World Trade Centre.", "body": ["The focus is smart manufacturing and cross-border trade."]},
            "ar": {"title": "الجولة الترويجية: دبي", "intro_text": "عرض تقديمي لأسواق الشرق الأوسط في مركز دبي التجاري العالمي.", "body": ["التركيز على التصنيع الذكي والتجارة عبر الحدود."]},
        },
    },
]

SPEAKERS = [
    {"key": "li", "colour": (11, 79, 138),
     "text": {"zh-hans": {"name": "李建国", "honorific": "院士", "position": "中国工程院"},
              "en": {"name": "Li Jianguo", "honorific": "Academician", "position": "Chinese Academy of Engineering"},
              "de": {"name": "Li Jianguo", "honorific": "Akademiemitglied", "position": "Chinesische Akademie für Ingenieurwissenschaften"}}},
    {"key": "weber", "colour": (60, 60, 60),
     "text": {"zh-hans": {"name": "安娜·韦伯", "honorific": "教授", "position": "汉堡工业大学"},
              "en": {"name": "Anna Weber", "honorific": "Professor", "position": "Hamburg University of Technology"},
              "de": {"name": "Anna Weber", "honorific": "Prof. Dr.", "position": "Technische Universität Hamburg"}}},
    {"key": "sato", "colour": (170, 40, 40),
     "text": {"zh-hans": {"name": "佐藤健", "honorific": "博士", "position": "日本机器人协会"},
              "en": {"name": "Ken Sato", "honorific": "Dr.", "position": "Japan Robot Association"}}},
    {"key": "chen", "colour": (40, 110, 90),
     "text": {"zh-hans": {"name": "陈静", "honorific": "", "position": "宁波智能装备有限公司 总经理"},
              "en": {"name": "Chen Jing", "honorific": "", "position": "General Manager, Ningbo Smart Equipment Co."}}},
]

# Sessions: event code, day offset from the event's first day, local start hour, minutes, room.
SESSIONS = [
    {"event": "wsmc-forum", "day": 0, "hour": 9, "minutes": 30, "speakers": [("li", "keynote")],
     "text": {"zh-hans": {"title": "开幕式与主旨演讲", "description": "智能制造的下一个十年。", "room": "主会场"},
              "en": {"title": "Opening and keynote", "description": "The next decade of smart manufacturing.", "room": "Main hall"}}},
    {"event": "wsmc-forum", "day": 0, "hour": 10, "minutes": 60, "speakers": [("weber", "panellist"), ("sato", "panellist"), ("chen", "moderator")],
     "text": {"zh-hans": {"title": "高端对话：全球供应链合作", "description": "中外嘉宾对话。", "room": "主会场"},
              "en": {"title": "Dialogue: cooperation in global supply chains", "description": "Guests from China and abroad in conversation.", "room": "Main hall"}}},
    {"event": "wsmc-robotics", "day": 0, "hour": 9, "minutes": 45, "speakers": [("sato", "speaker")],
     "text": {"zh-hans": {"title": "协作机器人的应用", "description": "", "room": "A厅"},
              "en": {"title": "Collaborative robots at work", "description": "", "room": "Hall A"}}},
    {"event": "wsmc-iiot", "day": 0, "hour": 14, "minutes": 45, "speakers": [("chen", "speaker")],
     "text": {"zh-hans": {"title": "中小企业的数字化转型", "description": "", "room": "B厅"},
              "en": {"title": "Going digital as a small manufacturer", "description": "", "room": "Hall B"}}},
]

# News: days before today, related event code, tags, languages.
NEWS = [
    {"slug": "registration-opens", "days_ago": 1, "event": "wsmc", "tags": ["conference"], "colour": (11, 79, 138),
     "text": {"zh-hans": {"title": "世界智能制造大会开放报名", "intro_text": "嘉宾与观众现在可以在线报名。", "body": ["报名通道已开放，名额有限。"]},
              "en": {"title": "Registration opens for the World Smart Manufacturing Conference", "intro_text": "Guests and visitors can now register online.", "body": ["Registration is open; places are limited."]},
              "de": {"title": "Anmeldung zur Weltkonferenz für intelligente Fertigung geöffnet", "intro_text": "Gäste und Besucher können sich jetzt online anmelden.", "body": ["Die Anmeldung ist geöffnet; die Plätze sind begrenzt."]},
              "ja": {"title": "世界スマート製造大会の参加登録開始", "intro_text": "ゲストと来場者はオンラインで登録できます。", "body": ["登録受付中です。定員に限りがあります。"]},
              "ru": {"title": "Открыта регистрация на Всемирную конференцию по умному производству", "intro_text": "Гости и посетители могут зарегистрироваться онлайн.", "body": ["Регистрация открыта, количество мест ограничено."]},
              "ar": {"title": "فتح باب التسجيل في المؤتمر العالمي للتصنيع الذكي", "intro_text": "يمكن للضيوف والزوار التسجيل عبر الإنترنت الآن.", "body": ["التسجيل مفتوح والأماكن محدودة."]}}},
    {"slug": "roadshow-route", "days_ago": 3, "event": "roadshow", "tags": ["roadshow"], "colour": (20, 110, 120),
     "text": {"zh-hans": {"title": "全球路演线路公布", "intro_text": "汉堡、大阪、圣彼得堡和迪拜四站。", "body": ["路演将在大会开幕前完成。"]},
              "en": {"title": "Global roadshow route announced", "intro_text": "Four stops: Hamburg, Osaka, Saint Petersburg and Dubai.", "body": ["The roadshow ends before the conference opens."]},
              "de": {"title": "Route der weltweiten Roadshow veröffentlicht", "intro_text": "Vier Stationen: Hamburg, Osaka, Sankt Petersburg und Dubai.", "body": ["Die Roadshow endet vor der Eröffnung der Konferenz."]}}},
    {"slug": "expo-exhibitors", "days_ago": 5, "event": "wsmc-expo", "tags": ["expo"], "colour": (150, 70, 20),
     "text": {"zh-hans": {"title": "博览会展商招募进展顺利", "intro_text": "已有三百家企业确认参展。", "body": ["展区覆盖机器人、模具和新材料。"]},
              "en": {"title": "Expo exhibitor recruitment on track", "intro_text": "Three hundred companies have confirmed.", "body": ["The halls cover robots, moulds and new materials."]}}},
    {"slug": "competition-round-one", "days_ago": 8, "event": "wsmc-competition", "tags": ["competition"], "colour": (130, 30, 60),
     "text": {"zh-hans": {"title": "创新创业大赛初赛结束", "intro_text": "四十个项目进入决赛。", "body": ["评审团在线评审了全部参赛项目。"]},
              "en": {"title": "First round of the innovation competition closes", "intro_text": "Forty projects go through to the final.", "body": ["The jury reviewed every entry online."]}}},
    {"slug": "hamburg-partners", "days_ago": 10, "event": "roadshow-hamburg", "tags": ["roadshow", "sister city"], "colour": (60, 60, 60),
     "text": {"zh-hans": {"title": "汉堡商会成为路演合作伙伴", "intro_text": "友好城市合作再添新内容。", "body": ["双方将共同邀请德国企业参会。"]},
              "en": {"title": "Hamburg Chamber of Commerce joins the roadshow", "intro_text": "A new chapter in sister-city cooperation.", "body": ["Both sides will invite German companies together."]}}},
    {"slug": "robotics-association", "days_ago": 12, "event": "wsmc-robotics", "tags": ["robotics"], "colour": (40, 110, 90),
     "text": {"zh-hans": {"title": "国际机器人协会支持分论坛", "intro_text": "协会将派出多位专家出席。", "body": ["分论坛聚焦协作机器人与人工智能。"]},
              "en": {"title": "International robotics association backs the sub-forum", "intro_text": "The association will send several experts.", "body": ["The sub-forum looks at collaborative robots and AI."]}}},
    {"slug": "online-hall", "days_ago": 15, "event": "wsmc-expo", "tags": ["expo", "online"], "colour": (90, 60, 140),
     "text": {"zh-hans": {"title": "线上展厅同步上线", "intro_text": "观众可在线参观博览会。", "body": ["线上展厅将持续开放两个月。"]},
              "en": {"title": "Online exhibition hall goes live", "intro_text": "Visitors can tour the expo online.", "body": ["The online hall stays open for two months."]}}},
    {"slug": "diaspora-guests", "days_ago": 20, "event": None, "tags": ["diaspora"], "colour": (170, 40, 40),
     "text": {"zh-hans": {"title": "宁波帮人士受邀回乡参会", "intro_text": "海内外宁波帮代表将出席大会。", "body": ["他们将参加项目对接与签约仪式。"]},
              "en": {"title": "Ningbo diaspora invited home for the conference", "intro_text": "Representatives of the Ningbo diaspora will attend.", "body": ["They will join project matchmaking and signing ceremonies."]}}},
]
# fmt: on

# Organizers: (official name, English name, Chinese name, kind, country, logo colour),
# and which role each takes at which event.
# fmt: off
ORGANIZATIONS = {
    "miit": ("中华人民共和国工业和信息化部", "Ministry of Industry and Information Technology", "中华人民共和国工业和信息化部", "national_ministry", "CN", (160, 30, 30)),
    "cae": ("中国工程院", "Chinese Academy of Engineering", "中国工程院", "university_research", "CN", (30, 60, 130)),
    "zj": ("浙江省人民政府", "People's Government of Zhejiang Province", "浙江省人民政府", "provincial_municipal_department", "CN", (160, 30, 30)),
    "nb": ("宁波市人民政府", "Ningbo Municipal People's Government", "宁波市人民政府", "provincial_municipal_department", "CN", (160, 30, 30)),
    "nbexpo": ("宁波国际会展集团", "Ningbo International Convention and Exhibition Group", "宁波国际会展集团", "enterprise", "CN", (11, 79, 138)),
    "ieee-ras": ("IEEE Robotics and Automation Society", "IEEE Robotics and Automation Society", "IEEE机器人与自动化学会", "international_organization", "US", (0, 98, 155)),
    "hk-hamburg": ("Handelskammer Hamburg", "Hamburg Chamber of Commerce", "汉堡商会", "industry_association", "DE", (60, 60, 60)),
    "nbtv": ("宁波广播电视集团", "Ningbo Radio and Television Group", "宁波广播电视集团", "media", "CN", (120, 40, 120)),
}
ORGANIZER_ROLES = [
    ("wsmc", "miit", "guiding_unit"), ("wsmc", "cae", "guiding_unit"),
    ("wsmc", "zj", "host"), ("wsmc", "nb", "host"),
    ("wsmc", "nbexpo", "organizer"), ("wsmc", "ieee-ras", "supporter"), ("wsmc", "nbtv", "media_partner"),
    ("wsmc-forum", "cae", "guiding_unit"), ("wsmc-forum", "nb", "host"), ("wsmc-forum", "nbexpo", "organizer"),
    ("wsmc-robotics", "ieee-ras", "co_organizer"),
    ("wsmc-expo", "nb", "host"), ("wsmc-expo", "nbexpo", "organizer"),
    ("roadshow", "nb", "host"),
    ("roadshow-hamburg", "nb", "host"), ("roadshow-hamburg", "hk-hamburg", "local_partner"),
]
# fmt: on
