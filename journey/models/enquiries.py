"""What a business told the public eligibility questionnaire."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .programme import Launchpad
from .sme import SME, MarketOrientation, Sector, ShopPlatform


class TurnoverBand(models.TextChoices):
    UNDER_100K = "under_100k", _("Under 100,000 (£ or €)")
    FROM_100K_TO_2M = "100k_2m", _("100,000 to 2 million")
    FROM_2M_TO_10M = "2m_10m", _("2 to 10 million")
    FROM_10M_TO_50M = "10m_50m", _("10 to 50 million")
    OVER_50M = "over_50m", _("Over 50 million")


class Analytics(models.TextChoices):
    NONE = "none", _("No web analytics")
    BASIC = "basic", _("Web analytics without e-commerce tracking")
    ECOMMERCE = "ecommerce", _("Web analytics with e-commerce tracking")
    NOT_SURE = "not_sure", _("Not sure")


class Experience(models.TextChoices):
    NONE = "none", _("We do not sell online yet")
    STARTING = "starting", _("Less than a year")
    SOME = "some", _("One to three years")
    EXPERIENCED = "experienced", _("More than three years")


class Enquiry(models.Model):
    """What a business told the public eligibility questionnaire.

    An enquiry from inside the programme area creates its SME in ``enquiry``; one from
    outside is kept, without an SME, for the coordinators. A submission that looks like an
    open enquiry's company (same e-mail, website or name) changes nothing: it is kept, without
    an SME, as ``possible_duplicate_of`` that enquiry until its staff merge it or open its own SME.
    """

    sme = models.OneToOneField(
        SME, on_delete=models.SET_NULL, null=True, blank=True, related_name="enquiry", verbose_name=_("SME")
    )
    launchpad = models.ForeignKey(
        Launchpad,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enquiries",
        verbose_name=_("launchpad"),
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    company_name = models.CharField(_("company name"), max_length=200)
    website = models.URLField(_("website"), blank=True)
    country = models.CharField(_("country"), max_length=2)
    town = models.CharField(_("town or postcode"), max_length=120)
    headcount = models.PositiveIntegerField(_("staff (full-time equivalent)"))
    turnover = models.CharField(_("annual turnover"), max_length=12, choices=TurnoverBand.choices)
    sector = models.CharField(_("sector"), max_length=30, choices=Sector.choices)
    products = models.TextField(_("what you sell"))
    market_orientation = models.CharField(_("sells to"), max_length=4, choices=MarketOrientation.choices)
    shop_platform = models.CharField(_("shop platform"), max_length=20, choices=ShopPlatform.choices)
    analytics = models.CharField(_("web analytics"), max_length=10, choices=Analytics.choices)
    experience = models.CharField(_("e-commerce experience"), max_length=12, choices=Experience.choices)
    goals = models.TextField(_("goals"))
    contact_name = models.CharField(_("your name"), max_length=150)
    contact_job_title = models.CharField(_("your role"), max_length=150, blank=True)
    contact_email = models.EmailField(_("e-mail address"))
    contact_phone = models.CharField(_("phone"), max_length=40, blank=True)
    consent_at = models.DateTimeField(_("consent to be contacted given"))
    # Reasons the answers already suggest the business is not eligible (kept, explained on the spot).
    eligibility_flags = models.JSONField(_("eligibility flags"), default=list, blank=True)
    submissions = models.PositiveIntegerField(_("submissions"), default=1)
    possible_duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="possible_duplicates",
        verbose_name=_("possible duplicate of"),
        help_text=_("An open enquiry that looks like the same company, for its staff to merge or keep apart."),
    )
    created_at = models.DateTimeField(_("first submitted"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last submitted"), auto_now=True)

    class Meta:
        verbose_name = _("enquiry")
        verbose_name_plural = _("enquiries")
        ordering = ["-updated_at"]

    def __str__(self):
        return self.company_name
