"""Fixed vocabularies of the CRM. Values are stable identifiers (stored, used by the API and by
other apps); labels are translated."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class OrganizationKind(models.TextChoices):
    INTERNATIONAL_ORGANIZATION = "international_organization", _("International organization")
    SISTER_CITY = "sister_city", _("Sister city")
    FRIENDSHIP_CITY = "friendship_city", _("Friendship city")
    NATIONAL_MINISTRY = "national_ministry", _("National ministry or department")
    PROVINCIAL_MUNICIPAL_DEPARTMENT = (
        "provincial_municipal_department",
        _("Provincial or municipal department"),
    )
    EMBASSY_CONSULATE = "embassy_consulate", _("Embassy or consulate")
    THINK_TANK = "think_tank", _("Think tank")
    UNIVERSITY_RESEARCH = "university_research", _("University or research institute")
    INDUSTRY_ASSOCIATION = "industry_association", _("Industry association")
    ENTERPRISE = "enterprise", _("Enterprise")
    INVESTOR = "investor", _("Investor")
    MEDIA = "media", _("Media")
    DIASPORA_ASSOCIATION = "diaspora_association", _("Diaspora association")
    OTHER = "other", _("Other")


class StrategicTier(models.IntegerChoices):
    CORE = 1, _("Tier 1 — core partner")
    IMPORTANT = 2, _("Tier 2 — important")
    REGULAR = 3, _("Tier 3 — regular")
    OCCASIONAL = 4, _("Tier 4 — occasional")


class NameOrder(models.TextChoices):
    FROM_SCRIPT = "auto", _("From the script (Chinese, Japanese, Korean: family name first)")
    FAMILY_FIRST = "family_first", _("Family name first (e.g. Chinese, Japanese, Korean)")
    GIVEN_FIRST = "given_first", _("Given name first")


class Honorific(models.TextChoices):
    """Honorifics and titles staff address people by. Rendered per language by
    `Person.salutation()` (see crm/models/people.py)."""

    NONE = "", _("(none)")
    MR = "mr", _("Mr")
    MS = "ms", _("Ms")
    DR = "dr", _("Dr.")
    PROF = "prof", _("Prof.")
    ACADEMICIAN = "academician", _("Academician")
    HE = "he", _("H.E.")
    MINISTER = "minister", _("Minister")
    MAYOR = "mayor", _("Mayor")
    AMBASSADOR = "ambassador", _("Ambassador")
    CONSUL_GENERAL = "consul_general", _("Consul General")
    PRESIDENT = "president", _("President")
    CHAIR = "chair", _("Chair")


class FormOfAddress(models.TextChoices):
    """The grammatical gender a salutation takes (Sehr geehrte Frau / Sehr geehrter Herr,
    Уважаемая / Уважаемый, 女士 / 先生). Unspecified: the language's neutral form."""

    UNSPECIFIED = "", _("Not specified (neutral greeting)")
    FEMALE = "female", _("Female (Ms, Frau, госпожа, 女士)")
    MALE = "male", _("Male (Mr, Herr, господин, 先生)")


class VipLevel(models.IntegerChoices):
    NONE = 0, _("Not a VIP")
    NOTABLE = 1, _("Notable")
    HIGH = 2, _("High")
    TOP = 3, _("Top (head of delegation, minister, mayor)")


class PhoneKind(models.TextChoices):
    MOBILE = "mobile", _("Mobile")
    OFFICE = "office", _("Office")
    HOME = "home", pgettext_lazy("phone number kind", "Home")
    FAX = "fax", _("Fax")
    OTHER = "other", _("Other")


class MessagingPlatform(models.TextChoices):
    WECHAT = "wechat", _("WeChat")
    LINKEDIN = "linkedin", _("LinkedIn")
    WHATSAPP = "whatsapp", _("WhatsApp")
    TELEGRAM = "telegram", _("Telegram")
    LINE = "line", _("LINE")
    KAKAOTALK = "kakaotalk", _("KakaoTalk")
    X = "x", _("X (Twitter)")
    OTHER = "other", _("Other")


class PartnershipKind(models.TextChoices):
    SISTER = "sister", _("Sister city (友好城市)")
    FRIENDSHIP = "friendship", _("Friendship city (友好交流城市)")


class PartnershipStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACTIVE = "active", _("Active")
    DORMANT = "dormant", _("Dormant")
    ENDED = "ended", _("Ended")


class RelationshipScope(models.TextChoices):
    PEOPLE = "people", _("Between people")
    ORGANIZATIONS = "organizations", _("Between organizations")


class InteractionKind(models.TextChoices):
    MEETING = "meeting", _("Meeting")
    CALL = "call", _("Call")
    EMAIL = "email", _("Email")
    VISIT = "visit", _("Visit")
    DELEGATION = "delegation", _("Delegation")
    EVENT_ATTENDANCE = "event_attendance", _("Event attendance")
    OTHER = "other", _("Other")


class ConsentPurpose(models.TextChoices):
    EVENT_INVITATIONS = "event_invitations", _("Event invitations")
    NEWSLETTERS = "newsletters", _("Newsletters")


class ConsentChannel(models.TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("SMS")
    WECHAT = "wechat", _("WeChat")
    PHONE = "phone", _("Phone")
    POST = "post", _("Post")


class LegalBasis(models.TextChoices):
    CONSENT = "consent", _("Consent")
    LEGITIMATE_INTEREST = "legitimate_interest", _("Legitimate interest")
    CONTRACT = "contract", _("Contract")
    PUBLIC_TASK = "public_task", _("Public task")


class DiasporaFilter(models.TextChoices):
    ANY = "", _("Any")
    DIASPORA = "yes", _("Diaspora contacts only")
    NOT_DIASPORA = "no", _("Not diaspora contacts")
