"""Demonstration data for the CRM: organizations of every kind in 14 countries, 300 people with
names in 10 scripts, a sister city and its partnership, diaspora contacts, an official reached
through an assistant, interactions, consents and segments.

Idempotent: a second run finds the demo people (source "demo") and adds nothing."""

from __future__ import annotations

import datetime
import random

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from crm.identity import normalize_email
from crm.models import (
    Affiliation,
    Consent,
    Interaction,
    Organization,
    Person,
    PersonEmail,
    PersonPhone,
    Relationship,
    RelationshipType,
    Sector,
    Segment,
    SisterCityPartnership,
)
from crm.phones import parse_phone
from crm.services import roles
from crm.services.interactions import refresh_last_interaction

DEMO_SOURCE = "demo"

# (country, language, time zone, city, national phone prefix pattern, name pool)
# name pool entries: (family, given, native full name, latin transliteration, name order)
PEOPLE_BY_COUNTRY = {
    "CN": (
        "zh-hans",
        "Asia/Shanghai",
        "Ningbo",
        "1380013{:04d}",
        [
            ("王", "伟", "王伟", "Wang Wei"),
            ("李", "娜", "李娜", "Li Na"),
            ("张", "敏", "张敏", "Zhang Min"),
            ("陈", "静", "陈静", "Chen Jing"),
            ("刘", "洋", "刘洋", "Liu Yang"),
            ("周", "杰", "周杰", "Zhou Jie"),
        ],
    ),
    "DE": (
        "de",
        "Europe/Berlin",
        "Hamburg",
        "01711{:06d}",
        [
            ("Müller", "Jürgen", "Jürgen Müller", "Juergen Mueller"),
            ("Schäfer", "Anja", "Anja Schäfer", "Anja Schaefer"),
            ("Groß", "Stefan", "Stefan Groß", "Stefan Gross"),
            ("Weiß", "Lena", "Lena Weiß", "Lena Weiss"),
        ],
    ),
    "FR": (
        "en",
        "Europe/Paris",
        "Lyon",
        "0612{:06d}",
        [
            ("Lefèvre", "Hélène", "Hélène Lefèvre", "Helene Lefevre"),
            ("Dubois", "François", "François Dubois", "Francois Dubois"),
        ],
    ),
    "RU": (
        "ru",
        "Europe/Moscow",
        "Kazan",
        "8912{:07d}",
        [
            ("Иванов", "Сергей", "Сергей Иванов", "Sergei Ivanov"),
            ("Смирнова", "Ольга", "Ольга Смирнова", "Olga Smirnova"),
            ("Ёлкин", "Пётр", "Пётр Ёлкин", "Pyotr Yolkin"),
        ],
    ),
    "AE": (
        "ar",
        "Asia/Dubai",
        "Dubai",
        "0501{:06d}",
        [
            ("الهاشمي", "محمد", "محمد الهاشمي", "Mohammed Al-Hashimi"),
            ("المنصوري", "فاطمة", "فاطمة المنصوري", "Fatima Al-Mansouri"),
        ],
    ),
    "JP": (
        "ja",
        "Asia/Tokyo",
        "Nagoya",
        "0901{:07d}",
        [
            ("田中", "太郎", "田中太郎", "Tanaka Taro"),
            ("佐藤", "花子", "佐藤花子", "Sato Hanako"),
            ("鈴木", "健", "鈴木健", "Suzuki Ken"),
        ],
    ),
    "KR": (
        "en",
        "Asia/Seoul",
        "Busan",
        "0101{:07d}",
        [
            ("김", "민준", "김민준", "Kim Min-jun"),
            ("이", "서연", "이서연", "Lee Seo-yeon"),
        ],
    ),
    "GR": (
        "en",
        "Europe/Athens",
        "Thessaloniki",
        "6944{:06d}",
        [
            ("Παπαδόπουλος", "Νίκος", "Νίκος Παπαδόπουλος", "Nikos Papadopoulos"),
        ],
    ),
    "IL": (
        "en",
        "Asia/Jerusalem",
        "Haifa",
        "0522{:06d}",
        [
            ("כהן", "דוד", "דוד כהן", "David Cohen"),
        ],
    ),
    "TH": (
        "en",
        "Asia/Bangkok",
        "Chiang Mai",
        "0812{:06d}",
        [
            ("ศรีสุข", "สมชาย", "สมชาย ศรีสุข", "Somchai Srisuk"),
        ],
    ),
    "IN": (
        "en",
        "Asia/Kolkata",
        "Pune",
        "98765{:05d}",
        [
            ("शर्मा", "राहुल", "राहुल शर्मा", "Rahul Sharma"),
        ],
    ),
    "US": (
        "en",
        "America/New_York",
        "Boston",
        "6172{:06d}",
        [
            ("Smith", "John", "John Smith", "John Smith"),
            ("García", "María", "María García", "Maria Garcia"),
        ],
    ),
    "GB": (
        "en",
        "Europe/London",
        "Manchester",
        "07700{:06d}",
        [
            ("O'Brien", "Siobhán", "Siobhán O'Brien", "Siobhan O'Brien"),
        ],
    ),
    "IT": (
        "en",
        "Europe/Rome",
        "Milan",
        "3471{:06d}",
        [
            ("Rossi", "Niccolò", "Niccolò Rossi", "Niccolo Rossi"),
        ],
    ),
}
FAMILY_FIRST = {"CN", "JP", "KR"}

ORGANIZATIONS = [
    # (name, name_en, name_zh, acronym, kind, country, city)
    (
        "IEEE Robotics and Automation Society",
        "",
        "IEEE机器人与自动化学会",
        "IEEE RAS",
        "international_organization",
        "US",
        "Piscataway",
    ),
    (
        "Japan Science and Technology Agency",
        "",
        "日本科学技术振兴机构",
        "JST",
        "international_organization",
        "JP",
        "Tokyo",
    ),
    (
        "Freie und Hansestadt Hamburg",
        "Free and Hanseatic City of Hamburg",
        "汉堡",
        "",
        "sister_city",
        "DE",
        "Hamburg",
    ),
    ("Ville de Lyon", "City of Lyon", "里昂市", "", "friendship_city", "FR", "Lyon"),
    (
        "中华人民共和国工业和信息化部",
        "Ministry of Industry and Information Technology",
        "工信部",
        "MIIT",
        "national_ministry",
        "CN",
        "Beijing",
    ),
    (
        "浙江省商务厅",
        "Zhejiang Department of Commerce",
        "浙江省商务厅",
        "",
        "provincial_municipal_department",
        "CN",
        "Hangzhou",
    ),
    (
        "Generalkonsulat der Bundesrepublik Deutschland Shanghai",
        "German Consulate General Shanghai",
        "德国驻上海总领事馆",
        "",
        "embassy_consulate",
        "DE",
        "Shanghai",
    ),
    (
        "Институт экономики РАН",
        "Institute of Economics, RAS",
        "俄罗斯科学院经济研究所",
        "",
        "think_tank",
        "RU",
        "Moscow",
    ),
    ("東京大学", "University of Tokyo", "东京大学", "UTokyo", "university_research", "JP", "Tokyo"),
    (
        "Robotic Industries Association",
        "",
        "机器人工业协会",
        "RIA",
        "industry_association",
        "US",
        "Ann Arbor",
    ),
    ("삼성전자", "Samsung Electronics", "三星电子", "", "enterprise", "KR", "Suwon"),
    ("Mubadala Investment Company", "", "穆巴达拉投资公司", "", "investor", "AE", "Abu Dhabi"),
    ("Il Sole 24 Ore", "", "24小时太阳报", "", "media", "IT", "Milan"),
    (
        "Ningbo Association of Hong Kong",
        "",
        "香港宁波同乡会",
        "",
        "diaspora_association",
        "CN",
        "Hong Kong",
    ),
    (
        "Ningbo Natives Association of Thailand",
        "",
        "泰国宁波同乡会",
        "",
        "diaspora_association",
        "TH",
        "Bangkok",
    ),
    (
        "Institution of Engineering and Technology",
        "",
        "英国工程技术学会",
        "IET",
        "international_organization",
        "GB",
        "London",
    ),
    (
        "Technion – Israel Institute of Technology",
        "",
        "以色列理工学院",
        "Technion",
        "university_research",
        "IL",
        "Haifa",
    ),
    (
        "Ελληνικό Κέντρο Καινοτομίας",
        "Hellenic Innovation Centre",
        "希腊创新中心",
        "",
        "other",
        "GR",
        "Thessaloniki",
    ),
    ("Tata Advanced Systems", "", "塔塔先进系统", "", "enterprise", "IN", "Pune"),
]


def _staff():
    User = get_user_model()
    groups = roles.ensure_roles()
    staff = {}
    for username, first, last, role in [
        ("li.officer", "Li", "Ming", roles.OFFICER),
        ("zhao.campaigns", "Zhao", "Lei", roles.CAMPAIGN_MANAGER),
        ("sun.viewer", "Sun", "Yu", roles.VIEWER),
    ]:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "is_staff": True},
        )
        if created:
            user.set_unusable_password()
            user.save()
        user.groups.add(groups[role])
        staff[role] = user
    return staff


@transaction.atomic
def load_demo_data() -> dict[str, int]:
    if Person.objects.filter(source=DEMO_SOURCE).exists():
        return {"people": 0}
    rng = random.Random(20260101)
    staff = _staff()
    officer, manager = staff[roles.OFFICER], staff[roles.CAMPAIGN_MANAGER]
    sectors = list(Sector.objects.all())

    organizations = []
    for name, name_en, name_zh, acronym, kind, country, city in ORGANIZATIONS:
        org, _created = Organization.objects.get_or_create(
            name=name,
            defaults={
                "name_en": name_en,
                "name_zh": name_zh,
                "acronym": acronym,
                "kind": kind,
                "country": country,
                "city": city,
                "tier": rng.choice([1, 2, 3, 4]),
                "owner": officer,
            },
        )
        org.sectors.set(rng.sample(sectors, 2))
        organizations.append(org)
    miit = organizations[4]
    Organization.objects.get_or_create(
        name="装备工业一司",
        defaults={
            "name_en": "First Department of Equipment Industry",
            "kind": "national_ministry",
            "country": "CN",
            "city": "Beijing",
            "parent": miit,
        },
    )
    hamburg = organizations[2]
    SisterCityPartnership.objects.get_or_create(
        partner=hamburg,
        defaults={
            "kind": "sister",
            "established_on": datetime.date(1986, 5, 1),
            "status": "active",
            "areas_of_cooperation": "Port logistics, smart manufacturing, culture, education",
        },
    )
    SisterCityPartnership.objects.get_or_create(
        partner=organizations[3],
        defaults={"kind": "friendship", "established_on": datetime.date(2012, 9, 20)},
    )
    by_country: dict[str, list[Organization]] = {}
    for org in organizations:
        by_country.setdefault(str(org.country), []).append(org)

    countries = list(PEOPLE_BY_COUNTRY)
    people, emails, phones = [], [], []
    for index in range(300):
        country = countries[index % len(countries)]
        language, tz, city, phone_pattern, pool = PEOPLE_BY_COUNTRY[country]
        family, given, native, latin = pool[(index // len(countries)) % len(pool)]
        suffix = index // (len(countries) * len(pool))
        person = Person(
            family_name=family,
            given_name=given,
            name_order="family_first" if country in FAMILY_FIRST else "given_first",
            full_name_native=native,
            name_chinese=native if country == "CN" else "",
            name_latin=latin,
            honorific=rng.choice(["", "mr", "ms", "dr", "prof"]),
            job_title=rng.choice(["Director", "Professor", "CEO", "Deputy Director", "Editor"]),
            preferred_language=language,
            time_zone=tz,
            country=country,
            city=city,
            vip_level=rng.choice([0, 0, 0, 1, 1, 2, 3]),
            owner=rng.choice([officer, manager, None]),
            source=DEMO_SOURCE,
        )
        local = f"{latin.lower().replace(' ', '.').replace(chr(39), '')}{suffix or ''}.{index}"
        address = f"{local}@example.{country.lower()}"
        number = parse_phone(phone_pattern.format(index + 1000), country)
        person.search_text = person.build_search_text(
            emails=[normalize_email(address)], phones=[number]
        )
        people.append(person)
        emails.append(address)
        phones.append(number)
    Person.objects.bulk_create(people)
    PersonEmail.objects.bulk_create(
        PersonEmail(person=p, email=e, email_normalized=normalize_email(e), is_primary=True)
        for p, e in zip(people, emails, strict=True)
    )
    PersonPhone.objects.bulk_create(
        PersonPhone(person=p, number=n, kind="mobile", is_primary=True)
        for p, n in zip(people, phones, strict=True)
    )
    affiliations = []
    for person in people:
        candidates = by_country.get(str(person.country))
        if candidates:
            affiliations.append(
                Affiliation(
                    person=person,
                    organization=rng.choice(candidates),
                    position=person.job_title,
                    is_primary=True,
                )
            )
    Affiliation.objects.bulk_create(affiliations)
    through = Person.sectors.through
    through.objects.bulk_create(
        through(person_id=p.pk, sector_id=rng.choice(sectors).pk) for p in people
    )
    tag_pool = ["speaker", "roadshow-2026", "juror", "investor-lead", "media"]
    for person in people[::7]:
        person.tags.add(rng.choice(tag_pool))
        person.save()

    # Diaspora "Ningbo Bang" contacts
    diaspora_orgs = [o for o in organizations if o.kind == "diaspora_association"]
    districts = ["Zhenhai", "Yinzhou", "Cixi", "Yuyao", "Fenghua", "Beilun"]
    for person in people[5::11]:
        person.is_diaspora = True
        person.ancestral_home = rng.choice(districts)
        person.diaspora_generation = rng.choice([1, 2, 3])
        person.save(update_fields=["is_diaspora", "ancestral_home", "diaspora_generation"])
        person.diaspora_associations.add(rng.choice(diaspora_orgs))

    # An official reached through an assistant (restricted: owner and administrators only)
    official = Person.objects.create(
        family_name="Weiß",
        given_name="Karl",
        full_name_native="Karl Weiß",
        name_latin="Karl Weiss",
        honorific="mayor",
        job_title="Erster Bürgermeister",
        preferred_language="de",
        time_zone="Europe/Berlin",
        country="DE",
        city="Hamburg",
        vip_level=3,
        owner=officer,
        restricted=True,
        source=DEMO_SOURCE,
    )
    assistant = Person.objects.create(
        family_name="Becker",
        given_name="Sabine",
        job_title="Büroleiterin",
        preferred_language="de",
        time_zone="Europe/Berlin",
        country="DE",
        city="Hamburg",
        owner=officer,
        source=DEMO_SOURCE,
    )
    PersonEmail.objects.create(person=assistant, email="sabine.becker@example.de", is_primary=True)
    PersonEmail.objects.create(person=official, email="buero.weiss@example.de", is_primary=True)
    official.assistant = assistant
    official.send_via_assistant = True
    official.save()
    Affiliation.objects.create(
        person=official, organization=hamburg, position="Mayor", is_primary=True
    )
    Affiliation.objects.create(person=assistant, organization=hamburg, position="Chief of staff")
    from crm.services.people import refresh_search_text

    for person in (official, assistant):
        refresh_search_text(person)
    Relationship.objects.create(
        type=RelationshipType.objects.get(name="assistant"),
        from_person=assistant,
        to_person=official,
        start_date=datetime.date(2022, 1, 1),
    )
    Relationship.objects.create(
        type=RelationshipType.objects.get(name="introduction"),
        from_person=people[1],
        to_person=people[0],
    )

    # Consents: most people agreed to event invitations, fewer to newsletters, a few withdrew.
    now = timezone.now()
    consents = []
    for index, person in enumerate(people):
        if index % 10 != 9:
            consents.append(
                Consent(
                    person=person,
                    purpose="event_invitations",
                    channel="email",
                    source="Business card at the 2025 Smart Manufacturing Forum",
                    notice_version="2025-01",
                    given_at=now - datetime.timedelta(days=200),
                    withdrawn_at=now - datetime.timedelta(days=10) if index % 37 == 0 else None,
                )
            )
        if index % 3 == 0:
            consents.append(
                Consent(
                    person=person,
                    purpose="newsletters",
                    channel="email",
                    source="Newsletter sign-up form",
                    notice_version="2025-01",
                    given_at=now - datetime.timedelta(days=100),
                )
            )
    consents.append(Consent(person=assistant, purpose="event_invitations", source="Phone call"))
    Consent.objects.bulk_create(consents)

    # Interactions, some with follow-ups for the officer
    today = timezone.localdate()
    kinds = ["meeting", "call", "email", "visit", "delegation", "event_attendance"]
    for index in range(40):
        interaction = Interaction.objects.create(
            kind=kinds[index % len(kinds)],
            occurred_on=today - datetime.timedelta(days=3 * index + 1),
            subject=f"Demo interaction {index + 1}",
            summary="Discussed participation in the World Robot Conference roadshow.",
            follow_up_on=today + datetime.timedelta(days=index) if index % 4 == 0 else None,
            follow_up_owner=officer if index % 4 == 0 else None,
            created_by=officer,
            source=DEMO_SOURCE,
            source_ref=f"demo-{index}",
        )
        chosen = rng.sample(people, 3)
        interaction.people.set(chosen)
        interaction.organizations.set(
            {a.organization for a in Affiliation.objects.filter(person__in=chosen)}
        )
        interaction.staff.set([officer])
    refresh_last_interaction(
        Interaction.objects.filter(source=DEMO_SOURCE).values_list("people", flat=True)
    )

    german = Segment.objects.create(
        name="Germany — event invitations (demo)",
        description="German contacts with consent for event invitations.",
        countries=["DE"],
        consent_purpose="event_invitations",
        owner=manager,
    )
    german.additions.add(assistant)
    vip = Segment.objects.create(
        name="VIPs in Asia, robotics (demo)",
        countries=["CN", "JP", "KR"],
        min_vip_level=2,
        consent_purpose="event_invitations",
        owner=manager,
    )
    robotics = Sector.objects.filter(slug="robotics").first()
    if robotics:
        vip.sectors.add(robotics)
    Segment.objects.create(
        name="Ningbo Bang diaspora (demo)",
        diaspora="yes",
        consent_purpose="newsletters",
        owner=manager,
    )
    return {"people": len(people) + 2, "organizations": len(organizations) + 1}
