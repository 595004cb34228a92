"""Quarterly reviews and the lessons register: programme reporting's own records.

These models lived in ``journey`` until programme reporting became its own app; their
tables keep their names (``db_table``), so the move changed no data.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from journey.models import Launchpad, Programme


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    SUPERSEDED = "superseded", _("Superseded by a corrected version")


class QuarterlyReview(models.Model):
    """A coordinator's quarterly review of the programme: figures computed as of its end date, and a narrative.

    Drafted, then published: publishing freezes the figures as they were (``frozen``) and
    the narrative. A published review is never changed: a correction is a new version
    that ``supersedes`` it and, once published, marks it superseded.
    """

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="reviews", verbose_name=_("programme")
    )
    number = models.PositiveSmallIntegerField(_("review number"))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    month_number = models.PositiveSmallIntegerField(
        _("programme month"), help_text=_("The programme month the review closes (the start date's month is month 1).")
    )
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"), help_text=_("The figures are computed as of the end of this day."))
    status = models.CharField(_("status"), max_length=12, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT)
    supersedes = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
        verbose_name=_("corrects"),
    )
    challenges = models.TextField(_("challenges"), blank=True)
    exchange = models.TextField(_("technical and cultural exchange"), blank=True)
    correction = models.TextField(
        _("what this version corrects"), blank=True, help_text=_("Required for a corrected version.")
    )
    # Set when published: {"figures": {"en": [...], "fr": [...]}, "lessons": [...]} as they were then.
    frozen = models.JSONField(_("figures as published"), null=True, blank=True, editable=False)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    # The days a person's data was erased after publication (privacy.erasure): noted beside the
    # figures, which stay as they were.
    erasures = models.JSONField(_("personal data erased on"), default=list, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("quarterly review")
        verbose_name_plural = _("quarterly reviews")
        db_table = "journey_quarterlyreview"
        ordering = ["programme", "number", "version"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "number", "version"], name="review_version_unique"),
            models.UniqueConstraint(
                fields=["programme", "number"],
                condition=Q(status=ReviewStatus.PUBLISHED),
                name="review_one_published",
            ),
            models.CheckConstraint(condition=Q(period_start__lte=models.F("period_end")), name="review_period"),
        ]

    def __str__(self):
        if self.version > 1:
            return gettext("Review %(number)s (version %(version)s)") % {
                "number": self.number,
                "version": self.version,
            }
        return gettext("Review %(number)s") % {"number": self.number}

    @property
    def is_editable(self) -> bool:
        return self.status == ReviewStatus.DRAFT


class LaunchpadOperations(models.Model):
    """A review's section on one launchpad: its operations and performance in the quarter."""

    review = models.ForeignKey(
        QuarterlyReview, on_delete=models.CASCADE, related_name="operations", verbose_name=_("review")
    )
    launchpad = models.ForeignKey(Launchpad, on_delete=models.PROTECT, related_name="+", verbose_name=_("launchpad"))
    text = models.TextField(_("operations and performance"), blank=True)

    class Meta:
        verbose_name = _("launchpad operations")
        verbose_name_plural = _("launchpad operations")
        db_table = "journey_launchpadoperations"
        ordering = ["launchpad__code"]
        constraints = [models.UniqueConstraint(fields=["review", "launchpad"], name="operations_unique")]

    def __str__(self):
        return f"{self.review} · {self.launchpad}"


class Lesson(models.Model):
    """One lesson learned: a register numbered across the whole programme, each recorded by a review."""

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="lessons", verbose_name=_("programme")
    )
    number = models.PositiveIntegerField(_("lesson number"))
    review_number = models.PositiveSmallIntegerField(_("recorded in review"))
    text = models.TextField(_("lesson"))
    follow_up = models.TextField(_("follow-up"), blank=True)
    follow_up_review_number = models.PositiveSmallIntegerField(_("follow-up recorded in review"), null=True, blank=True)

    class Meta:
        verbose_name = _("lesson learned")
        verbose_name_plural = _("lessons learned")
        db_table = "journey_lesson"
        ordering = ["programme", "number"]
        constraints = [models.UniqueConstraint(fields=["programme", "number"], name="lesson_number_unique")]

    def __str__(self):
        return gettext("Lesson %(number)s") % {"number": self.number}
