"""Courses (Wagtail pages), what SME users did with them, and badges with their awards.

Page tree: course index → course → lessons and at most one quiz. Content fields are
translated with wagtail-modeltranslation (``translation.py``). An SME user enrols in a
course (``Enrolment``), marks lessons done (``LessonCompletion``) and attempts the quiz
(``QuizAttempt``, every attempt kept). Badge classes are snippets with criteria; an award
(``BadgeAward``) belongs to an SME and is a hosted Open Badges assertion.
"""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from journey.models import SME, Launchpad
from toolkit import milestones
from toolkit.blocks import ContentBlock
from toolkit.models import Tool


class Audience(models.TextChoices):
    B2B = "b2b", _("Businesses selling to businesses (B2B)")
    B2C = "b2c", _("Businesses selling to consumers (B2C)")
    BOTH = "both", _("Every business")


# ---------------------------------------------------------------------------
# Pages


class CourseIndexPage(Page):
    """The list of courses: what each teaches, how long it takes, and the reader's progress."""

    intro = models.TextField(_("introduction"), blank=True, help_text=_("One or two sentences under the title."))

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["learning.CoursePage"]
    max_count = 1

    class Meta:
        verbose_name = _("course index")

    def get_context(self, request, *args, **kwargs):
        from .selectors import course_cards

        context = super().get_context(request, *args, **kwargs)
        context["courses"] = course_cards(user=request.user, index=self)
        return context


class CoursePage(Page):
    """A short course: a few lessons, an optional quiz, and the badge it awards."""

    summary = models.TextField(_("summary"), help_text=_("What the learner will be able to do afterwards."))
    audience = models.CharField(_("for"), max_length=4, choices=Audience.choices, default=Audience.BOTH)
    launchpad = models.ForeignKey(
        Launchpad,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("launchpad"),
        help_text=_("Leave empty when the course is for both launchpads."),
    )
    estimated_minutes = models.PositiveSmallIntegerField(
        _("estimated time (minutes)"), default=20, validators=[MinValueValidator(1)]
    )
    badge = models.ForeignKey(
        "learning.BadgeClass",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="courses",
        verbose_name=_("badge awarded"),
        help_text=_("Shown on the course; the badge's own criteria decide when it is awarded."),
    )

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldRowPanel([FieldPanel("audience"), FieldPanel("launchpad"), FieldPanel("estimated_minutes")]),
        FieldPanel("badge"),
    ]
    search_fields = Page.search_fields + [index.SearchField("summary")]
    parent_page_types = ["learning.CourseIndexPage"]
    subpage_types = ["learning.LessonPage", "learning.QuizPage"]

    class Meta:
        verbose_name = _("course")

    def lessons(self):
        return LessonPage.objects.child_of(self).live().order_by("path")

    def quiz(self) -> QuizPage | None:
        return QuizPage.objects.child_of(self).live().first()

    def serve(self, request, *args, **kwargs):
        from .views import course_serve

        return course_serve(request, page=self)

    def get_context(self, request, *args, **kwargs):
        from .selectors import course_progress

        context = super().get_context(request, *args, **kwargs)
        context["progress"] = course_progress(user=request.user, course=self)
        return context


class LessonPage(Page):
    """One lesson: a few minutes of reading, a video, and a link to try it on the SME's own data."""

    estimated_minutes = models.PositiveSmallIntegerField(
        _("estimated time (minutes)"), default=5, validators=[MinValueValidator(1)]
    )
    body = StreamField(ContentBlock(), verbose_name=_("body"))

    content_panels = Page.content_panels + [FieldPanel("estimated_minutes"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("body")]
    parent_page_types = ["learning.CoursePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("lesson")

    def serve(self, request, *args, **kwargs):
        from .views import lesson_serve

        return lesson_serve(request, page=self)


class QuestionChoiceBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("answer"))
    correct = blocks.BooleanBlock(label=_("correct"), required=False)

    class Meta:
        icon = "tick"
        label = _("Answer")


class QuestionBlock(blocks.StructBlock):
    """A single- or multiple-choice question; the explanation is shown after an attempt."""

    prompt = blocks.CharBlock(label=_("question"))
    multiple = blocks.BooleanBlock(
        label=_("several answers may be right"), required=False, help_text=_("Shows tick boxes instead of options.")
    )
    choices = blocks.ListBlock(QuestionChoiceBlock(), label=_("answers"), min_num=2)
    explanation = blocks.TextBlock(label=_("explanation"), help_text=_("Why the right answers are right."))

    class Meta:
        icon = "help"
        label = _("Question")

    def clean(self, value):
        value = super().clean(value)
        correct = sum(1 for choice in value["choices"] if choice["correct"])
        if correct == 0:
            raise blocks.StructBlockValidationError({"choices": ValidationError(_("Mark at least one right answer."))})
        if correct > 1 and not value["multiple"]:
            raise blocks.StructBlockValidationError(
                {
                    "multiple": ValidationError(
                        _("Several answers are marked right: tick “several answers may be right”.")
                    )
                }
            )
        return value


class QuizPage(Page):
    """The course's quiz: questions, a pass mark, and explanations after each attempt."""

    intro = models.TextField(_("introduction"), blank=True)
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"), default=70, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    questions = StreamField([("question", QuestionBlock())], verbose_name=_("questions"))

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("pass_mark"), FieldPanel("questions")]
    parent_page_types = ["learning.CoursePage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("quiz")

    def serve(self, request, *args, **kwargs):
        from .views import quiz_serve

        return quiz_serve(request, page=self)


# ---------------------------------------------------------------------------
# Progress


class Enrolment(models.Model):
    """An SME user following a course; ``last_lesson`` is where they resume."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolments", verbose_name=_("learner")
    )
    sme = models.ForeignKey(SME, on_delete=models.CASCADE, related_name="enrolments", verbose_name=_("SME"))
    course = models.ForeignKey(
        CoursePage, on_delete=models.CASCADE, related_name="enrolments", verbose_name=_("course")
    )
    enrolled_at = models.DateTimeField(_("enrolled"), default=timezone.now)
    last_lesson = models.ForeignKey(
        LessonPage, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("last lesson")
    )
    last_seen_at = models.DateTimeField(_("last seen"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [models.UniqueConstraint(fields=["user", "course"], name="enrolment_unique")]
        ordering = ["-enrolled_at"]

    def __str__(self):
        return f"{self.user} · {self.course}"


class LessonCompletion(models.Model):
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="completions")
    lesson = models.ForeignKey(LessonPage, on_delete=models.CASCADE, related_name="+")
    completed_at = models.DateTimeField(_("completed"), default=timezone.now)

    class Meta:
        verbose_name = _("lesson done")
        verbose_name_plural = _("lessons done")
        constraints = [models.UniqueConstraint(fields=["enrolment", "lesson"], name="lessoncompletion_unique")]

    def __str__(self):
        return f"{self.enrolment} · {self.lesson}"


class QuizAttempt(models.Model):
    """One attempt at a quiz, kept: the answers given, in the language they were shown, and the score."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attempts")
    quiz = models.ForeignKey(QuizPage, on_delete=models.CASCADE, related_name="attempts", verbose_name=_("quiz"))
    # One list of chosen answer positions per question, in the questions' order.
    answers = models.JSONField(_("answers"), default=list)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    score = models.PositiveSmallIntegerField(_("score (%)"))
    passed = models.BooleanField(_("passed"))
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("quiz attempt")
        verbose_name_plural = _("quiz attempts")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.enrolment} · {self.quiz} · {self.score} %"


# ---------------------------------------------------------------------------
# Badges


class BadgeClass(ClusterableModel):
    """A badge an SME can earn: what it means, what earns it, how long it lasts, what it opens."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True, help_text=_("Part of the badge's public address."))
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"))
    criteria_text = models.TextField(
        _("criteria"), help_text=_("What the holder did to earn it, in a sentence or two (published with the badge).")
    )
    image = models.ForeignKey(
        "wagtailimages.Image",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("image"),
        help_text=_("A square PNG works best; a plain badge is drawn when empty."),
    )
    colour = models.CharField(
        _("colour"), max_length=7, default="#0b6e6e", help_text=_("Of the drawn badge, as #rrggbb.")
    )
    expires_on = models.DateField(_("expires on"), null=True, blank=True, help_text=_("A fixed date for every award."))
    valid_for_days = models.PositiveIntegerField(
        _("valid for (days)"), null=True, blank=True, help_text=_("Or a period counted from each award.")
    )
    opens_tool = models.CharField(
        _("opens the tool"), max_length=20, choices=Tool.choices, blank=True, help_text=_("Toolkit tool it unlocks.")
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("description"),
        FieldPanel("criteria_text"),
        FieldRowPanel([FieldPanel("image"), FieldPanel("colour")]),
        MultiFieldPanel([FieldPanel("expires_on"), FieldPanel("valid_for_days")], heading=_("Expiry")),
        FieldPanel("opens_tool"),
        InlinePanel("criteria", heading=_("What earns it (all must be met)"), label=_("criterion")),
    ]

    class Meta:
        verbose_name = _("badge class")
        verbose_name_plural = _("badge classes")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        if self.expires_on and self.valid_for_days:
            raise ValidationError(_("Choose a fixed expiry date or a period after the award, not both."))

    def expiry_for(self, awarded_at: datetime.datetime) -> datetime.datetime | None:
        if self.valid_for_days:
            return awarded_at + datetime.timedelta(days=self.valid_for_days)
        if self.expires_on:
            end = datetime.datetime.combine(self.expires_on, datetime.time.max)
            return timezone.make_aware(end, timezone.get_default_timezone())
        return None


class CriterionKind(models.TextChoices):
    COURSE_COMPLETED = "course_completed", _("Course completed")
    QUIZ_PASSED = "quiz_passed", _("Quiz passed with a minimum score")
    AWARDED = "awarded", _("Awarded by an account manager")
    BADGES_HELD = "badges_held", _("Other badges held")
    MILESTONE = "milestone", _("Data milestone")


class BadgesMode(models.TextChoices):
    ANY = "any", _("any of them")
    ALL = "all", _("all of them")


def milestone_choices():
    return [(key, milestone.label) for key, milestone in sorted(milestones.available().items())]


class Criterion(Orderable, ClusterableModel):
    """One condition of a badge class; a badge is awarded when every one of its criteria is met."""

    badge_class = ParentalKey(BadgeClass, on_delete=models.CASCADE, related_name="criteria")
    kind = models.CharField(_("kind"), max_length=20, choices=CriterionKind.choices)
    course = models.ForeignKey(
        CoursePage, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("course")
    )
    quiz = models.ForeignKey(
        QuizPage, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("quiz")
    )
    min_score = models.PositiveSmallIntegerField(
        _("minimum score (%)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
        help_text=_("Empty: the quiz's pass mark."),
    )
    badges = ParentalManyToManyField(BadgeClass, blank=True, related_name="+", verbose_name=_("badges"))
    badges_mode = models.CharField(_("holding"), max_length=3, choices=BadgesMode.choices, default=BadgesMode.ALL)
    milestone = models.CharField(_("milestone"), max_length=40, choices=milestone_choices, blank=True)
    threshold = models.DecimalField(_("at least"), max_digits=10, decimal_places=2, null=True, blank=True)

    panels = [
        FieldPanel("kind"),
        FieldRowPanel([FieldPanel("course"), FieldPanel("quiz"), FieldPanel("min_score")]),
        FieldRowPanel([FieldPanel("badges"), FieldPanel("badges_mode")]),
        FieldRowPanel([FieldPanel("milestone"), FieldPanel("threshold")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")

    def __str__(self):
        return self.get_kind_display()

    def clean(self):
        required = {
            CriterionKind.COURSE_COMPLETED: ("course", _("Choose the course.")),
            CriterionKind.QUIZ_PASSED: ("quiz", _("Choose the quiz.")),
            CriterionKind.MILESTONE: ("milestone", _("Choose the milestone.")),
        }.get(self.kind)
        if required and not getattr(self, required[0]):
            raise ValidationError({required[0]: required[1]})
        if self.kind == CriterionKind.MILESTONE and self.threshold is None:
            raise ValidationError({"threshold": _("Give the figure to reach.")})


class AwardStatus(models.TextChoices):
    VALID = "valid", _("Valid")
    REVOKED = "revoked", _("Revoked")
    EXPIRED = "expired", _("Expired")


class BadgeAward(models.Model):
    """A badge held by an SME: a hosted Open Badges assertion at ``/openbadges/assertions/<uid>``.

    At most one *current* award per SME and badge class (the database says so, which makes
    awarding idempotent); an expired award is kept, no longer current, when the badge is
    earned again.
    """

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    badge_class = models.ForeignKey(
        BadgeClass, on_delete=models.PROTECT, related_name="awards", verbose_name=_("badge class")
    )
    sme = models.ForeignKey(SME, on_delete=models.CASCADE, related_name="badge_awards", verbose_name=_("SME"))
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="badge_awards",
        verbose_name=_("recipient"),
    )
    # Kept at award time: the assertion publishes only its salted hash.
    recipient_email = models.EmailField(_("recipient e-mail address"))
    salt = models.CharField(max_length=32, editable=False)
    awarded_at = models.DateTimeField(_("awarded"), default=timezone.now)
    awarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("awarded by"),
    )
    reason = models.TextField(_("reason"), blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )
    revocation_reason = models.TextField(_("reason for revoking"), blank=True)
    current = models.BooleanField(default=True, editable=False)
    # The award's bit in its launchpad's status list (W3C Bitstring Status List), drawn at
    # random so a verifier reading the list learns nothing from the position.
    status_index = models.PositiveIntegerField(null=True, unique=True, editable=False)
    # When the holders were told (each e-mail is sent once, whatever reruns).
    earned_email_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    expiry_warning_sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("badge award")
        verbose_name_plural = _("badge awards")
        ordering = ["-awarded_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["badge_class", "sme"], condition=Q(current=True), name="badgeaward_one_current"
            )
        ]

    def __str__(self):
        return f"{self.badge_class} · {self.sme}"

    def status(self, now: datetime.datetime | None = None) -> str:
        if self.revoked_at:
            return AwardStatus.REVOKED
        if self.expires_at and self.expires_at <= (now or timezone.now()):
            return AwardStatus.EXPIRED
        return AwardStatus.VALID

    @property
    def is_valid(self) -> bool:
        return self.status() == AwardStatus.VALID

    def get_status_display(self) -> str:
        return AwardStatus(self.status()).label


class IssuerKey(models.Model):
    """One of a launchpad's signing key pairs: Ed25519 for its Open Badges 3.0 credentials (VC-JWT,
    EdDSA), RSA for its signed Open Badges 2.0 assertions (JWS, RS256).

    One key of each algorithm is active per launchpad; rotating retires them (``retired_at``)
    and creates the next. Retired keys stay published (an Ed25519 key as a JWK at its own
    address and in the JWKS, an RSA key as an OB 2.0 ``CryptographicKey`` at its own address),
    so what they signed before a rotation keeps verifying. The private key is encrypted at
    rest (``connectors.crypto``) and never shown.
    """

    class Algorithm(models.TextChoices):
        ED25519 = "Ed25519", _("Ed25519 (Open Badges 3.0 credentials)")
        RSA = "RS256", _("RSA (signed Open Badges 2.0 assertions)")

    launchpad = models.ForeignKey(Launchpad, on_delete=models.CASCADE, related_name="+")
    algorithm = models.CharField(_("algorithm"), max_length=10, choices=Algorithm.choices, default=Algorithm.ED25519)
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    public_key = models.TextField(_("public key (PEM)"))
    private_key_encrypted = models.TextField(editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    retired_at = models.DateTimeField(_("retired"), null=True, blank=True)

    class Meta:
        verbose_name = _("issuer key")
        verbose_name_plural = _("issuer keys")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["launchpad", "algorithm"],
                condition=Q(retired_at__isnull=True),
                name="issuerkey_one_active_per_algorithm",
            )
        ]

    def __str__(self):
        return f"{self.launchpad} · {self.algorithm} · {self.uid}"


# Awards that count for unlocking now (expiry compared in the database).
def valid_awards(now: datetime.datetime | None = None):
    now = now or timezone.now()
    return BadgeAward.objects.filter(current=True, revoked_at__isnull=True).filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=now)
    )
