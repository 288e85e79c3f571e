"""Expos: exhibitors with their booths, buyers (客商) registered through the event's registration
with a tier, matchmaking requests with each side's mark, the meeting grid (slots, tables,
interpreters) the scheduler fills, and signing-ceremony agreements that feed the project pool."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from expos.fields import StringListField


class Exhibitor(models.Model):
    event = models.ForeignKey(
        "outreach.Event",
        verbose_name=_("expo"),
        on_delete=models.CASCADE,
        related_name="exhibitors",
    )
    organization = models.ForeignKey(
        "crm.Organization",
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="exhibitions",
    )
    hall = models.CharField(_("hall"), max_length=40, blank=True)
    booth_number = models.CharField(_("booth number"), max_length=40, blank=True)
    booth_size = models.DecimalField(
        _("booth size (m²)"), max_digits=7, decimal_places=1, null=True, blank=True
    )
    products_en = models.TextField(_("products and projects (English)"), blank=True)
    products_zh = models.TextField(_("products and projects (Chinese)"), blank=True)
    sectors = models.ManyToManyField("crm.Sector", verbose_name=_("sectors"), blank=True)
    contacts = models.ManyToManyField(
        "crm.Person", verbose_name=_("contacts"), blank=True, related_name="exhibitor_contacts"
    )
    seeking_investment = models.BooleanField(_("seeking investment"), default=False)
    languages = StringListField(
        verbose_name=_("languages spoken"),
        default=list,
        blank=True,
    )

    class Meta:
        verbose_name = _("exhibitor")
        verbose_name_plural = _("exhibitors")
        ordering = ["hall", "booth_number", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "organization"], name="expos_exhibitor_once_per_expo"
            )
        ]

    def __str__(self) -> str:
        booth = " ".join(part for part in (self.hall, self.booth_number) if part)
        return f"{self.organization} ({booth})" if booth else str(self.organization)

    @property
    def products(self) -> str:
        if (get_language() or "").startswith("zh"):
            return self.products_zh or self.products_en
        return self.products_en or self.products_zh


class BuyerTier(models.TextChoices):
    A = "A", _("A: decision-maker with a purchasing or investment mandate")
    B = "B", _("B: influences purchasing or investment")
    C = "C", _("C: visitor gathering information")


class Intent(models.TextChoices):
    BUY = "buy", _("Buy")
    INVEST = "invest", _("Invest")
    PARTNER = "partner", _("Partner")
    DISTRIBUTE = "distribute", _("Distribute")


class Buyer(models.Model):
    """A buyer's expo profile, beside their registration to the expo (outreach.Registration)."""

    registration = models.OneToOneField(
        "outreach.Registration",
        verbose_name=_("registration"),
        on_delete=models.CASCADE,
        related_name="buyer",
    )
    tier = models.CharField(_("tier"), max_length=1, choices=BuyerTier.choices, default="C")
    hosted = models.BooleanField(
        _("hosted buyer"), default=False, help_text=_("The office pays the travel.")
    )
    sectors = models.ManyToManyField("crm.Sector", verbose_name=_("sectors"), blank=True)
    intents = StringListField(
        item_choices=Intent.choices,
        verbose_name=_("intents"),
        default=list,
        blank=True,
    )
    languages = StringListField(
        verbose_name=_("languages spoken"),
        default=list,
        blank=True,
    )
    available_slots = models.ManyToManyField(
        "expos.MeetingSlot", verbose_name=_("available in"), blank=True
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("buyer")
        verbose_name_plural = _("buyers")

    def __str__(self) -> str:
        return f"{self.registration.person} ({self.tier})"


class MeetingSlot(models.Model):
    event = models.ForeignKey(
        "outreach.Event", verbose_name=_("expo"), on_delete=models.CASCADE, related_name="slots"
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))

    class Meta:
        verbose_name = _("meeting slot")
        verbose_name_plural = _("meeting slots")
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="expos_slot_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M}–{self.ends_at:%H:%M}"


class MeetingTable(models.Model):
    event = models.ForeignKey(
        "outreach.Event", verbose_name=_("expo"), on_delete=models.CASCADE, related_name="tables"
    )
    hall = models.CharField(_("hall"), max_length=40)
    label = models.CharField(_("table"), max_length=40)

    class Meta:
        verbose_name = _("meeting table")
        verbose_name_plural = _("meeting tables")
        ordering = ["hall", "label", "id"]

    def __str__(self) -> str:
        return f"{self.hall} · {self.label}"


class HallWalk(models.Model):
    """Minutes to walk between two halls of an expo (both ways)."""

    event = models.ForeignKey(
        "outreach.Event", verbose_name=_("expo"), on_delete=models.CASCADE, related_name="+"
    )
    hall_a = models.CharField(_("hall"), max_length=40)
    hall_b = models.CharField(_("other hall"), max_length=40)
    minutes = models.PositiveSmallIntegerField(_("walking minutes"))

    class Meta:
        verbose_name = _("walking time")
        verbose_name_plural = _("walking times")

    def __str__(self) -> str:
        return f"{self.hall_a} ↔ {self.hall_b}: {self.minutes}"


class Interpreter(models.Model):
    event = models.ForeignKey(
        "outreach.Event",
        verbose_name=_("expo"),
        on_delete=models.CASCADE,
        related_name="interpreters",
    )
    name = models.CharField(_("name"), max_length=200)
    languages = StringListField(verbose_name=_("languages"))
    available_slots = models.ManyToManyField(
        MeetingSlot, verbose_name=_("available in"), blank=True
    )

    class Meta:
        verbose_name = _("interpreter")
        verbose_name_plural = _("interpreters")

    def __str__(self) -> str:
        return self.name


class Mark(models.TextChoices):
    MUST = "must", _("Must meet")
    WOULD = "would", _("Would meet")
    NO = "no", pgettext_lazy("meeting mark", "No")


class RequestStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("meeting request", "Pending")
    ACCEPTED = "accepted", pgettext_lazy("meeting request", "Accepted")
    DECLINED = "declined", pgettext_lazy("meeting request", "Declined")
    EXPIRED = "expired", pgettext_lazy("meeting request", "Expired")


class MeetingRequest(models.Model):
    """One buyer-exhibitor pair: each side's mark; accepted when neither says no and both
    answered (or staff forced it); expires when unanswered by `expires_at`."""

    event = models.ForeignKey(
        "outreach.Event",
        verbose_name=_("expo"),
        on_delete=models.CASCADE,
        related_name="meeting_requests",
    )
    buyer = models.ForeignKey(
        Buyer, verbose_name=_("buyer"), on_delete=models.CASCADE, related_name="requests"
    )
    exhibitor = models.ForeignKey(
        Exhibitor, verbose_name=_("exhibitor"), on_delete=models.CASCADE, related_name="requests"
    )
    buyer_mark = models.CharField(_("buyer's mark"), max_length=8, choices=Mark.choices, blank=True)
    exhibitor_mark = models.CharField(
        _("exhibitor's mark"), max_length=8, choices=Mark.choices, blank=True
    )
    status = models.CharField(
        pgettext_lazy("meeting request", "status"),
        max_length=10,
        choices=RequestStatus.choices,
        default=RequestStatus.PENDING,
    )
    # the recommendation's reasons
    reasons = models.JSONField(_("recommendation reasons"), default=list, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    forced = models.BooleanField(_("forced by staff"), default=False)
    unplaced_reasons = models.JSONField(_("why not placed"), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("meeting request")
        verbose_name_plural = _("meeting requests")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["buyer", "exhibitor"], name="expos_request_once_per_pair"
            )
        ]

    def __str__(self) -> str:
        return f"{self.buyer} ↔ {self.exhibitor}"


class Meeting(models.Model):
    request = models.OneToOneField(
        MeetingRequest,
        verbose_name=_("meeting request"),
        on_delete=models.CASCADE,
        related_name="meeting",
    )
    slot = models.ForeignKey(
        MeetingSlot,
        verbose_name=_("meeting slot"),
        on_delete=models.PROTECT,
        related_name="meetings",
    )
    table = models.ForeignKey(
        MeetingTable, verbose_name=_("table"), on_delete=models.PROTECT, related_name="meetings"
    )
    interpreter = models.ForeignKey(
        Interpreter,
        verbose_name=_("interpreter"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meetings",
    )
    locked = models.BooleanField(_("locked"), default=False)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["slot__starts_at", "table__hall", "table__label"]
        constraints = [
            models.UniqueConstraint(fields=["slot", "table"], name="expos_one_meeting_per_table")
        ]

    def __str__(self) -> str:
        return f"{self.request} · {self.slot} · {self.table}"


class Agreement(models.Model):
    """An agreement signed at a signing ceremony (an event part of the expo)."""

    ceremony = models.ForeignKey(
        "outreach.Event", on_delete=models.CASCADE, related_name="agreements"
    )
    title_en = models.CharField(_("title (English)"), max_length=255, blank=True)
    title_zh = models.CharField(_("title (Chinese)"), max_length=255, blank=True)
    parties = models.ManyToManyField("crm.Organization", verbose_name=_("parties"))
    amount = models.DecimalField(
        _("amount"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    sector = models.ForeignKey(
        "crm.Sector", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    order = models.PositiveSmallIntegerField(_("order on the run sheet"), default=0)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project in the pool"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agreements",
    )

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["ceremony", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(title_en="", title_zh=""), name="expos_agreement_has_a_title"
            )
        ]

    def __str__(self) -> str:
        if (get_language() or "").startswith("zh"):
            return self.title_zh or self.title_en
        return self.title_en or self.title_zh


class MaterialKind(models.TextChoices):
    DOCUMENT = "document", _("Document")
    VIDEO = "video", _("Video link")
    IMAGE = "image", _("Image")


class BoothMaterial(models.Model):
    """A document, video link or image shown on the exhibitor's booth in the online hall."""

    exhibitor = models.ForeignKey(
        Exhibitor, verbose_name=_("exhibitor"), on_delete=models.CASCADE, related_name="materials"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=MaterialKind.choices)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    title_zh = models.CharField(_("title (Chinese)"), max_length=200, blank=True)
    url = models.URLField(_("address (URL)"), max_length=500)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("booth material")
        verbose_name_plural = _("booth materials")
        ordering = ["exhibitor", "order", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        if (get_language() or "").startswith("zh"):
            return self.title_zh or self.title_en or self.url
        return self.title_en or self.title_zh or self.url


class BoothVisit(models.Model):
    """Visits to a booth's page in the online hall, one counter row per booth and day: no
    cookie, no address, no visitor identifier is kept."""

    exhibitor = models.ForeignKey(
        Exhibitor, verbose_name=_("exhibitor"), on_delete=models.CASCADE, related_name="visits"
    )
    day = models.DateField(_("day"))
    count = models.PositiveIntegerField(_("visits"), default=0)

    class Meta:
        verbose_name = _("booth visits")
        verbose_name_plural = _("booth visits")
        ordering = ["exhibitor", "day"]
        constraints = [
            models.UniqueConstraint(fields=["exhibitor", "day"], name="expos_visit_once_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.exhibitor} {self.day}: {self.count}"


class ContactKind(models.TextChoices):
    CONTACT = "contact", _("Contact")
    MEETING = "meeting", pgettext_lazy("online hall request", "Meeting")


class BoothContactRequest(models.Model):
    """A visitor's request, from the online hall, to be contacted by an exhibitor or to meet
    them; routed to the exhibitor's contacts and recorded in the CRM as an interaction."""

    exhibitor = models.ForeignKey(
        Exhibitor,
        verbose_name=_("exhibitor"),
        on_delete=models.CASCADE,
        related_name="contact_requests",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ContactKind.choices)
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"))
    organization_name = models.CharField(_("organization"), max_length=255, blank=True)
    message = models.TextField(_("message"), max_length=2000)
    language = models.CharField(_("language"), max_length=12)
    consent_text = models.TextField(_("consent given"))
    consented_at = models.DateTimeField(_("consented at"))
    interaction = models.ForeignKey(
        "crm.Interaction",
        verbose_name=_("interaction"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("contact request")
        verbose_name_plural = _("contact requests")
        ordering = ["-consented_at", "id"]

    def __str__(self) -> str:
        return f"{self.name} → {self.exhibitor}"
