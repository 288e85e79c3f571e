from functools import lru_cache

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from phonenumber_field.modelfields import PhoneNumberField

from crm import names as name_forms
from crm.identity import fold_text, phone_digits

from .choices import FormOfAddress, Honorific, MessagingPlatform, NameOrder, PhoneKind, VipLevel
from .validators import validate_language, validate_time_zone, validate_visible_text


class PersonQuerySet(models.QuerySet):
    def active(self):
        """People who have not been erased."""
        return self.filter(erased_at__isnull=True)

    def contactable(self):
        return self.active().filter(do_not_contact=False)


class Person(ClusterableModel):
    """A contact. Names are held in every form staff need: family/given with their order, the
    full name in native script, a Chinese name and a Latin transliteration."""

    family_name = models.CharField(
        _("family name"), max_length=150, blank=True, validators=[validate_visible_text]
    )
    given_name = models.CharField(
        _("given name"), max_length=150, blank=True, validators=[validate_visible_text]
    )
    name_order = models.CharField(
        _("name order"), max_length=20, choices=NameOrder.choices, default=NameOrder.FROM_SCRIPT
    )
    full_name_native = models.CharField(
        _("full name in native script"),
        max_length=255,
        blank=True,
        help_text=_("As the person writes it: 王伟, Müller, Иванов, 田中太郎, محمد…"),
        validators=[validate_visible_text],
    )
    name_chinese = models.CharField(
        _("Chinese name"), max_length=100, blank=True, validators=[validate_visible_text]
    )
    name_latin = models.CharField(
        _("Latin transliteration"),
        max_length=255,
        blank=True,
        help_text=_("E.g. Wang Wei, Tanaka Taro, Ivanov Ivan."),
        validators=[validate_visible_text],
    )
    honorific = models.CharField(
        _("honorific"), max_length=20, choices=Honorific.choices, blank=True, default=""
    )
    gender = models.CharField(
        _("form of address"),
        max_length=10,
        choices=FormOfAddress.choices,
        blank=True,
        default="",
        help_text=_(
            "The grammatical gender of the salutation in languages that need one (German, "
            "Russian, Arabic, French, Spanish). Mr or Ms imply it."
        ),
    )
    job_title = models.CharField(
        pgettext_lazy("job title", "title"),
        max_length=255,
        blank=True,
        help_text=_("Position, e.g. Deputy Director."),
    )
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=15,
        blank=True,
        validators=[validate_language],
        help_text=_("One of the site languages (BCP 47 code, e.g. en, zh-hans, de)."),
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        blank=True,
        validators=[validate_time_zone],
        help_text=_("IANA name, e.g. Europe/Berlin."),
    )
    country = CountryField(_("country of residence"), blank=True)
    city = models.CharField(_("city of residence"), max_length=120, blank=True)

    assistant = models.ForeignKey(
        "self",
        verbose_name=_("assistant"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="principals",
        help_text=_("Another contact who handles this person's correspondence."),
    )
    send_via_assistant = models.BooleanField(_("send invitations via assistant"), default=False)

    # Diaspora profile ("Ningbo Bang", 宁波帮)
    is_diaspora = models.BooleanField(_("diaspora contact"), default=False)
    ancestral_home = models.CharField(
        _("ancestral home district"),
        max_length=120,
        blank=True,
        help_text=_("E.g. Zhenhai, Yinzhou, Cixi."),
    )
    diaspora_generation = models.PositiveSmallIntegerField(
        _("diaspora generation"), null=True, blank=True
    )
    diaspora_associations = models.ManyToManyField(
        "crm.Organization",
        verbose_name=_("diaspora associations"),
        blank=True,
        related_name="diaspora_members",
    )

    sectors = models.ManyToManyField(
        "crm.Sector", verbose_name=_("expertise sectors"), blank=True, related_name="people"
    )
    vip_level = models.PositiveSmallIntegerField(
        _("VIP level"), choices=VipLevel.choices, default=VipLevel.NONE
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owning staff member"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_people",
    )
    do_not_contact = models.BooleanField(
        _("do not contact"),
        default=False,
        help_text=_("Never sent campaign mail, whatever segment they are in."),
    )
    restricted = models.BooleanField(
        _("restricted"),
        default=False,
        help_text=_("Visible only to the owning staff member and administrators."),
    )
    tags = ClusterTaggableManager(verbose_name=_("tags"), through="crm.TaggedPerson", blank=True)
    notes = models.TextField(_("notes"), blank=True)
    source = models.CharField(
        _("source"),
        max_length=100,
        blank=True,
        help_text=_("Where the contact came from (admin, import, registration, API...)."),
    )
    # Denormalised by the services (kept current on every interaction) so that segment filters
    # on it are an index lookup, not an aggregate over all interactions.
    last_interaction_on = models.DateField(
        _("last interaction"), null=True, blank=True, editable=False
    )
    # Case/accent-folded name forms, emails and phone digits: see crm.identity.fold_text.
    search_text = models.TextField(_("search text"), blank=True, editable=False, default="")
    erased_at = models.DateTimeField(_("erased at"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["family_name", "given_name", "id"]
        indexes = [
            models.Index(fields=["family_name", "given_name", "id"], name="crm_person_name_idx"),
            models.Index(fields=["country"], name="crm_person_country_idx"),
            models.Index(fields=["preferred_language"], name="crm_person_lang_idx"),
            models.Index(fields=["vip_level"], name="crm_person_vip_idx"),
            models.Index(fields=["last_interaction_on"], name="crm_person_lastint_idx"),
            models.Index(fields=["city"], name="crm_person_city_idx"),
            # Counting what most staff may see (everyone not restricted) from an index alone.
            models.Index(fields=["id"], condition=Q(restricted=False), name="crm_person_open_idx"),
            models.Index(
                fields=["owner"], condition=Q(restricted=True), name="crm_person_restricted_idx"
            ),
            # The commonest audience filters, for the rows segments can ever contain: with the
            # id included, a segment count over them is an index-only scan on PostgreSQL.
            models.Index(
                fields=["country", "preferred_language", "vip_level"],
                include=["id"],
                condition=Q(erased_at__isnull=True, do_not_contact=False),
                name="crm_person_audience_idx",
            ),
        ]
        permissions = [
            ("view_contact_details", _("Can see personal contact details (emails, phones)")),
            ("view_restricted_person", _("Can see restricted people not owned")),
            ("change_any_person", _("Can edit people owned by others")),
            ("export_personal_data", _("Can export everything held about a person")),
            ("erase_person", _("Can erase a person on request")),
            ("merge_people", _("Can merge duplicate people")),
        ]

    def __str__(self) -> str:
        return self.display_name or _("(unnamed contact #%(id)s)") % {"id": self.pk}

    @property
    def display_name(self) -> str:
        if self.erased_at:
            return str(_("(erased contact)"))
        native = self.full_name_native or self.name_chinese
        latin = self.name_latin or self.composed_name
        if native and latin and fold_text(native) != fold_text(latin):
            return f"{native} ({latin})"
        return native or latin or ""

    @property
    def effective_name_order(self) -> str:
        """The name order chosen, or the script's: family first for Chinese, Japanese, Korean."""
        if self.name_order != NameOrder.FROM_SCRIPT:
            return self.name_order
        if name_forms.is_cjk(f"{self.family_name}{self.given_name}"):
            return NameOrder.FAMILY_FIRST
        return NameOrder.GIVEN_FIRST

    @property
    def composed_name(self) -> str:
        return _compose(self.family_name, self.given_name, self.effective_name_order)

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_names = (
            instance.__dict__.get("family_name"),
            instance.__dict__.get("given_name"),
        )
        return instance

    def fill_name_forms(self) -> None:
        """A CJK name typed as family and given name gets its native full name (陈静: family
        first, no space) and its Latin form (Chinese: pinyin, "Chen Jing"; Japanese: Hepburn
        romaji, "Tanaka Taro"), unless staff wrote their own: a form still equal to what the
        previous names gave is kept current."""
        self.full_name_native, self.name_latin = name_forms_of(
            self.family_name,
            self.given_name,
            self.name_order,
            native=self.full_name_native,
            latin=self.name_latin,
            japanese=is_japanese_person(self.country, self.preferred_language),
            loaded=getattr(self, "_loaded_names", (None, None)),
        )

    def save(self, *args, **kwargs):
        self.fill_name_forms()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"family_name", "given_name"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "full_name_native", "name_latin"}
        super().save(*args, **kwargs)
        self._loaded_names = (self.family_name, self.given_name)

    @property
    def primary_email(self) -> "PersonEmail | None":
        emails = list(self.emails.all())
        for email in emails:
            if email.is_primary:
                return email
        return emails[0] if emails else None

    @property
    def primary_email_address(self) -> str:
        email = self.primary_email
        return email.email if email else ""

    @property
    def tag_list(self) -> str:
        return ", ".join(sorted(t.name for t in self.tags.all()))

    def salutation(self, language: str | None = None) -> str:
        from crm.salutations import salutation

        return salutation(self, language)

    def build_search_text(self, emails=(), phones=()) -> str:
        return search_text_of(
            name_search_forms(
                self.family_name,
                self.given_name,
                self.effective_name_order,
                self.full_name_native,
                self.name_chinese,
                self.name_latin,
            ),
            emails,
            phones,
        )


def is_japanese_person(country, language) -> bool:
    """Whose Han name is read in Japanese, not in pinyin: a person of Japan or writing
    Japanese (a name with kana is Japanese whoever writes it: crm.names.is_japanese)."""
    return str(country or "") == "JP" or (language or "").startswith("ja")


def name_forms_of(
    family: str,
    given: str,
    name_order: str,
    *,
    native: str = "",
    latin: str = "",
    japanese: bool = False,
    loaded: tuple = (None, None),
) -> tuple[str, str]:
    """(full name in native script, Latin form) of a person (Person.fill_name_forms, and the
    import, which writes people without saving them one by one). `loaded` are the family and
    given names the stored forms were made from: forms still equal to theirs follow the new
    names; forms staff wrote themselves are kept."""
    family, given = (family or "").strip(), (given or "").strip()
    if not name_forms.is_cjk(family + given):
        return native, latin
    old_family, old_given = loaded
    old_native = old_latin = None
    if old_family is not None or old_given is not None:
        old_native = _compose(old_family or "", old_given or "", NameOrder.FAMILY_FIRST)
        old_latin = name_forms.latin_name(old_family or "", old_given or "", japanese=japanese)
    order = name_order if name_order != NameOrder.FROM_SCRIPT else NameOrder.FAMILY_FIRST
    if not native or native == old_native:
        native = _compose(family, given, order)
    if not latin or latin == old_latin:
        latin = name_forms.latin_name(family, given, japanese=japanese) or latin
    return native, latin


@lru_cache(maxsize=20_000)
def name_search_forms(
    family: str, given: str, order: str, native: str, chinese: str, latin: str
) -> tuple[str, ...]:
    """The folded name forms of a person's search text (cached: an import writes many people
    with the same names)."""
    names = [family, given, f"{given} {family}", _compose(family, given, order), native]
    names += [chinese, latin, *_cross_script_forms(family, given, native, chinese)]
    folded = [fold_text(n) for n in names if n and n.strip()]
    # Without spaces too: "wangwei" and "王伟" (Chinese names are written without spaces).
    folded += [f.replace(" ", "") for f in folded if " " in f]
    return tuple(dict.fromkeys(folded))


def search_text_of(name_forms_: tuple[str, ...], emails=(), phones=()) -> str:
    items = [*name_forms_, *(e for e in emails if e)]
    items += [phone_digits(str(p)) for p in phones if p]
    return " | ".join(dict.fromkeys(items))


def _compose(family: str, given: str, order: str) -> str:
    parts = [family, given]
    if order == NameOrder.GIVEN_FIRST:
        parts.reverse()
    parts = [p for p in parts if p]
    # Chinese, Japanese and Korean names are written without a space: 陈静, 田中太郎.
    joiner = "" if name_forms.is_cjk("".join(parts)) else " "
    return joiner.join(parts)


def _cross_script_forms(family: str, given: str, native: str, chinese: str) -> list[str]:
    """Search forms of a Chinese name: simplified characters in either order (陈静, 静陈; 陳靜
    finds 陈静) and its pinyin in either order ("chen jing", "jing chen"; the search adds the
    forms without spaces); a Japanese name (kana, or a name typed in romaji beside it) is found
    by its romaji through name_latin."""
    forms: list[str] = []
    pairs = []
    if name_forms.has_han(family + given):
        pairs.append((family, given))
    for full in (native, chinese):
        if name_forms.has_han(full) and name_forms.is_cjk(full):
            pairs.append(name_forms.split_chinese_name(full))
    for family, given in pairs:
        family, given = name_forms.to_simplified(family), name_forms.to_simplified(given)
        forms += [family + given, given + family]
        latin = name_forms.latin_name(family, given)
        forms += [latin, " ".join(reversed(latin.split(" ", 1)))]
    return forms


class PersonEmail(models.Model):
    person = ParentalKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="emails"
    )
    email = models.EmailField(_("email"), max_length=254)
    # Case-folded identity (crm.identity.normalize_email): one person per address.
    email_normalized = models.CharField(
        _("email identity"), max_length=254, unique=True, editable=False
    )
    is_primary = models.BooleanField(_("primary"), default=False)
    label = models.CharField(_("label"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("email address")
        verbose_name_plural = _("email addresses")
        ordering = ["-is_primary", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(is_primary=True), name="crm_one_primary_email"
            )
        ]

    def __str__(self) -> str:
        return self.email

    def save(self, *args, **kwargs):
        from crm.identity import normalize_email

        self.email_normalized = normalize_email(self.email)
        super().save(*args, **kwargs)


class PersonPhone(models.Model):
    person = ParentalKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="phones"
    )
    number = PhoneNumberField(_("number"), db_index=True, help_text=_("Stored in E.164."))
    # Kept apart from the E.164 number so that a switchboard's extensions share one number.
    extension = models.CharField(_("extension"), max_length=20, blank=True)
    kind = models.CharField(
        _("type"), max_length=20, choices=PhoneKind.choices, default=PhoneKind.MOBILE
    )
    is_primary = models.BooleanField(_("primary"), default=False)

    class Meta:
        verbose_name = _("phone number")
        verbose_name_plural = _("phone numbers")
        ordering = ["-is_primary", "id"]

    def __str__(self) -> str:
        return str(self.number)


class MessagingHandle(models.Model):
    person = ParentalKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="handles"
    )
    platform = models.CharField(_("platform"), max_length=20, choices=MessagingPlatform.choices)
    handle = models.CharField(_("handle or profile URL"), max_length=255)

    class Meta:
        verbose_name = _("messaging handle")
        verbose_name_plural = _("messaging handles")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "platform", "handle"], name="crm_unique_handle_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_platform_display()}: {self.handle}"
