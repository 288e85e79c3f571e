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
