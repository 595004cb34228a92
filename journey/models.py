"""The programme, its launchpads, people and SMEs."""

from django.conf import settings
from django.contrib.auth.base_user import BaseUserManager
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel


class Country(models.TextChoices):
    UNITED_KINGDOM = "GB", _("United Kingdom")
    FRANCE = "FR", _("France")


class Currency(models.TextChoices):
    GBP = "GBP", _("Pound sterling (£)")
    EUR = "EUR", _("Euro (€)")


class Programme(models.Model):
    """The cross-border programme. Quarterly reviews count months from its start date."""

    name = models.CharField(_("name"), max_length=120)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["start_date"]

    def __str__(self):
        return self.name

    def month_number(self, day) -> int:
        """The programme month a date falls in: the start date's month is month 1."""
        return (day.year - self.start_date.year) * 12 + day.month - self.start_date.month + 1


class Launchpad(models.Model):
    """One of the programme's two national teams (UK, France) that take SMEs through the journey."""

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="launchpads", verbose_name=_("programme")
    )
    code = models.SlugField(_("code"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=120)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices, unique=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    time_zone = models.CharField(
        _("time zone"), max_length=40, choices=[("Europe/London", "Europe/London"), ("Europe/Paris", "Europe/Paris")]
    )
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices)

    class Meta:
        verbose_name = _("launchpad")
        verbose_name_plural = _("launchpads")
        ordering = ["code"]

    def __str__(self):
        return self.name


class Role(models.TextChoices):
    SME_USER = "sme_user", _("SME user")
    ACCOUNT_MANAGER = "account_manager", _("Account manager")
    LAUNCHPAD_MANAGER = "launchpad_manager", _("Launchpad manager")
    COORDINATOR = "coordinator", _("Coordinator")


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        extra_fields.setdefault("role", Role.COORDINATOR)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person who signs in. Each has exactly one role; what it lets them see is in ``journey.scoping``.

    An SME user belongs to one SME; account managers and launchpad managers to one
    launchpad; coordinators to the whole programme.
    """

    username = None
    email = models.EmailField(_("e-mail address"), unique=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    launchpad = models.ForeignKey(
        Launchpad, on_delete=models.PROTECT, null=True, blank=True, related_name="staff", verbose_name=_("launchpad")
    )
    sme = models.ForeignKey(
        "SME", on_delete=models.CASCADE, null=True, blank=True, related_name="users", verbose_name=_("SME")
    )
    preferred_language = models.CharField(_("preferred language"), max_length=8, choices=settings.LANGUAGES, blank=True)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["last_name", "first_name", "email"]
        constraints = [
            # The role decides which of launchpad / SME a user is attached to.
            models.CheckConstraint(
                name="user_role_attachment",
                condition=(
                    Q(role="sme_user", sme__isnull=False, launchpad__isnull=True)
                    | Q(role__in=["account_manager", "launchpad_manager"], sme__isnull=True, launchpad__isnull=False)
                    | Q(role="coordinator", sme__isnull=True, launchpad__isnull=True)
                ),
            ),
        ]

    def __str__(self):
        return self.get_full_name() or self.email

    def clean(self):
        super().clean()
        if self.role == Role.SME_USER and not self.sme_id:
            raise ValidationError({"sme": _("An SME user must belong to an SME.")})
        if self.role in (Role.ACCOUNT_MANAGER, Role.LAUNCHPAD_MANAGER) and not self.launchpad_id:
            raise ValidationError({"launchpad": _("Account managers and launchpad managers belong to a launchpad.")})

    @property
    def is_programme_staff(self) -> bool:
        return self.role in (Role.ACCOUNT_MANAGER, Role.LAUNCHPAD_MANAGER, Role.COORDINATOR) or self.is_superuser


class Sector(models.TextChoices):
    FOOD_DRINK = "food_drink", _("Food and drink")
    FASHION = "fashion", _("Fashion and accessories")
    HOME_GIFTS = "home_gifts", _("Home, gifts and homeware")
    HEALTH_BEAUTY = "health_beauty", _("Health and beauty")
    CRAFTS = "crafts", _("Arts and crafts")
    SPORTS_OUTDOOR = "sports_outdoor", _("Sports and outdoor")
    INDUSTRIAL = "industrial", _("Industrial supplies and equipment")
    ELECTRONICS = "electronics", _("Electronics and technology")
    MARINE = "marine", _("Marine and nautical")
    BOOKS_MEDIA = "books_media", _("Books, media and education")
    OTHER = "other", _("Other")


class MarketOrientation(models.TextChoices):
    B2B = "b2b", _("Business to business (B2B)")
    B2C = "b2c", _("Business to consumer (B2C)")
    BOTH = "both", _("Both B2B and B2C")


class CompanySize(models.TextChoices):
    MICRO = "micro", _("Micro (fewer than 10 staff)")
    SMALL = "small", _("Small (10 to 49 staff)")
    MEDIUM = "medium", _("Medium (50 to 249 staff)")


class ShopPlatform(models.TextChoices):
    SHOPIFY = "shopify", "Shopify"
    WOOCOMMERCE = "woocommerce", "WooCommerce"
    PRESTASHOP = "prestashop", "PrestaShop"
    MAGENTO = "magento", "Magento"
    SQUARESPACE = "squarespace", "Squarespace"
    OTHER = "other", _("Other platform")
    NONE = "none", _("No online shop yet")


class SME(ClusterableModel):
    """A small or medium business taken through the programme's journey by a launchpad.

    The journey stage (state machine) is added by the journey issue; everything that
    belongs to an SME elsewhere points here and is scoped through ``journey.scoping``.
    """

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    launchpad = models.ForeignKey(Launchpad, on_delete=models.PROTECT, related_name="smes", verbose_name=_("launchpad"))
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    sector = models.CharField(_("sector"), max_length=30, choices=Sector.choices)
    market_orientation = models.CharField(_("sells to"), max_length=4, choices=MarketOrientation.choices)
    size = models.CharField(_("size"), max_length=10, choices=CompanySize.choices)
    website = models.URLField(_("website"), blank=True)
    shop_platform = models.CharField(_("shop platform"), max_length=20, choices=ShopPlatform.choices)
    primary_account_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_smes",
        limit_choices_to={"role": Role.ACCOUNT_MANAGER},
        verbose_name=_("account manager"),
    )
    collaborators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="shared_smes",
        limit_choices_to={"role": Role.ACCOUNT_MANAGER},
        verbose_name=_("cross-launchpad collaborators"),
        help_text=_("Account managers from the other launchpad brought in for their expertise."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("SME")
        verbose_name_plural = _("SMEs")
        ordering = ["name"]
        permissions = [("assign_account_manager", _("Can assign account managers to SMEs"))]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        manager = self.primary_account_manager
        if manager and self.launchpad_id and manager.launchpad_id != self.launchpad_id:
            raise ValidationError(
                {"primary_account_manager": _("The account manager must work at the SME's own launchpad.")}
            )


class ContactPerson(models.Model):
    """Someone at the SME the launchpad deals with."""

    sme = ParentalKey(SME, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("SME"))
    name = models.CharField(_("name"), max_length=150)
    job_title = models.CharField(_("job title"), max_length=150, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    is_primary = models.BooleanField(_("main contact"), default=False)

    class Meta:
        verbose_name = _("contact person")
        verbose_name_plural = _("contact people")
        ordering = ["-is_primary", "name"]

    def __str__(self):
        return self.name
