"""factory_boy factories shared by the test suite. Each app has its own section."""

from __future__ import annotations

import factory
from django.contrib.auth import get_user_model

# --- crm --------------------------------------------------------------------------------------


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"staff{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@office.invalid")
    is_staff = True
    password = factory.django.Password("pw")


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "crm.Organization"

    name = factory.Sequence(lambda n: f"Organization {n}")
    kind = "enterprise"
    country = "DE"
    city = "Hamburg"


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "crm.Person"
        skip_postgeneration_save = True

    family_name = factory.Sequence(lambda n: f"Family{n}")
    given_name = "Anna"
    country = "DE"
    preferred_language = "en"
    time_zone = "Europe/Berlin"

    @factory.post_generation
    def email(self, create, extracted, **kwargs):
        from crm.models import PersonEmail
        from crm.services.people import refresh_search_text

        if not create:
            return
        if extracted:
            PersonEmail.objects.create(person=self, email=extracted, is_primary=True)
        refresh_search_text(self)

    @factory.post_generation
    def phone(self, create, extracted, **kwargs):
        from crm.models import PersonPhone
        from crm.services.people import refresh_search_text

        if create and extracted:
            PersonPhone.objects.create(person=self, number=extracted, is_primary=True)
            refresh_search_text(self)


class PersonPhoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "crm.PersonPhone"

    person = factory.SubFactory(PersonFactory)
    number = "+4917112345678"


class AffiliationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "crm.Affiliation"

    person = factory.SubFactory(PersonFactory)
    organization = factory.SubFactory(OrganizationFactory)
    position = "Director"


class ConsentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "crm.Consent"

    person = factory.SubFactory(PersonFactory)
    purpose = "event_invitations"
    channel = "email"


class InteractionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "crm.Interaction"

    kind = "meeting"
    occurred_on = factory.Faker("date_this_year")
    subject = factory.Sequence(lambda n: f"Meeting {n}")


class SegmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "crm.Segment"

    name = factory.Sequence(lambda n: f"Segment {n}")
