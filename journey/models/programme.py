"""The programme and its two launchpads."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .. import stages


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
    time_zone = models.CharField(_("time zone"), max_length=40, choices=[(zone, zone) for zone in stages.TIME_ZONES])
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices)

    class Meta:
        verbose_name = _("launchpad")
        verbose_name_plural = _("launchpads")
        ordering = ["code"]

    def __str__(self):
        return self.name
