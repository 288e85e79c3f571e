import unicodedata

import pytest

from crm.models import Organization, OrganizationKind, Person, Segment, SisterCityPartnership
from crm.services.demo import load_demo_data


def script_of(text):
    for ch in text:
        if ch.isalpha():
            return unicodedata.name(ch).split()[0]
    return None


@pytest.mark.django_db
def test_demo_data_covers_the_domain_and_loads_once():
    load_demo_data()
    counts = (Person.objects.count(), Organization.objects.count(), Segment.objects.count())
    load_demo_data()
    assert (Person.objects.count(), Organization.objects.count(), Segment.objects.count()) == counts
    assert Person.objects.count() >= 300
    assert set(Organization.objects.values_list("kind", flat=True)) == set(OrganizationKind.values)
    assert len(set(Organization.objects.values_list("country", flat=True))) >= 12
    scripts = {script_of(p.full_name_native or p.family_name) for p in Person.objects.all()}
    assert len(scripts - {None}) >= 8, scripts
    assert SisterCityPartnership.objects.filter(kind="sister").exists()
    assert Person.objects.filter(is_diaspora=True).count() >= 10
    assert Person.objects.filter(assistant__isnull=False, send_via_assistant=True).exists()
    assert Person.objects.filter(interactions__isnull=False).distinct().count() >= 50


@pytest.mark.django_db
def test_demo_names_are_varied_and_gendered_and_the_demo_login_owns_the_follow_ups():
    from collections import Counter

    from django.contrib.auth import get_user_model

    from crm.models import Interaction

    load_demo_data()
    names = Counter(Person.objects.values_list("full_name_native", flat=True))
    assert names.most_common(1)[0][1] == 1, names.most_common(3)
    russian_women = Person.objects.filter(country="RU", gender="female")
    assert russian_women.exists()
    assert all(p.family_name.endswith("а") for p in russian_women), [
        p.family_name for p in russian_women
    ]
    assert not Person.objects.filter(country="RU", gender="male", family_name__endswith="ова")
    assert not Person.objects.filter(gender="male", honorific="ms").exists()
    zhang = Person.objects.filter(country="CN").first()
    assert zhang.name_latin
    assert zhang.name_latin.isascii()
    demo = get_user_model().objects.get(username="demo")
    follow_ups = Interaction.objects.filter(follow_up_on__isnull=False)
    assert follow_ups.exists()
    assert set(follow_ups.values_list("follow_up_owner", flat=True)) == {demo.pk}
