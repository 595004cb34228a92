"""The SMEs, their contact people, their journey (stages and the stage log) and their screening."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import GET_STATE, ConcurrentTransitionMixin, FSMField, transition
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel

from .. import stages
from ..formatting import labelled
from .people import Role
from .programme import Country, Launchpad


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


class Stage(models.TextChoices):
    """Where an SME stands in the journey (DESIGN.md, "The SME journey")."""

    ENQUIRY = "enquiry", _("Enquiry")
    SCREENING = "screening", _("Screening")
    ASSESSMENT = "assessment", _("Assessment")
    ONBOARDING = "onboarding", _("Onboarding")
    DATA_COLLECTION = "data_collection", _("Data collection")
    PLANNING = "planning", _("Planning")
    INTENSIVE = "intensive", _("Intensive")
    GROWTH_REVIEW = "growth_review", _("Growth review")
    AFTERCARE = "aftercare", _("Aftercare")
    COMPLETED = "completed", _("Completed")
    INELIGIBLE = "ineligible", _("Ineligible")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    PAUSED = "paused", _("Paused")


ACTIVE_STAGES = [
    Stage.ENQUIRY,
    Stage.SCREENING,
    Stage.ASSESSMENT,
    Stage.ONBOARDING,
    Stage.DATA_COLLECTION,
    Stage.PLANNING,
    Stage.INTENSIVE,
    Stage.GROWTH_REVIEW,
    Stage.AFTERCARE,
]
# Stages in which an account manager coaches the SME: the active ones past the applicant's
# (enquiry, screening); before them the launchpad screens, after them the SME is closed or paused.
COACHED_STAGES = [stage for stage in ACTIVE_STAGES if stage not in (Stage.ENQUIRY, Stage.SCREENING)]
FINAL_STAGES = [Stage.INELIGIBLE, Stage.DECLINED, Stage.WITHDRAWN, Stage.COMPLETED]
# Stages from which an SME has "reached onboarding": it enrolled in the programme.
ENROLLED_STAGES = [
    Stage.ONBOARDING,
    Stage.DATA_COLLECTION,
    Stage.PLANNING,
    Stage.INTENSIVE,
    Stage.GROWTH_REVIEW,
    Stage.AFTERCARE,
    Stage.COMPLETED,
]


def _resume_stage(sme, *args, **kwargs):
    return sme.resume_stage


class SME(ConcurrentTransitionMixin, ClusterableModel):
    """A small or medium business taken through the programme's journey by a launchpad.

    ``stage`` is the journey's state machine (django-fsm-2): the transition methods below
    only change the instance; ``journey.transitions.sme_transition`` checks who may fire
    them and their conditions, saves and logs. Everything that belongs to an SME elsewhere
    points here and is scoped through ``journey.scoping``.
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
    default_margin = models.DecimalField(
        _("default gross margin (%)"),
        max_digits=5,
        decimal_places=2,
        default=40,
        help_text=_("Used to estimate the cost of sales whose cost is not known; the estimates are marked as such."),
    )
    stage = FSMField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.ENQUIRY, protected=True)
    stage_entered_at = models.DateTimeField(_("in this stage since"), default=timezone.now)
    resume_stage = models.CharField(
        _("stage to resume"),
        max_length=20,
        choices=Stage.choices,
        blank=True,
        help_text=_("The active stage a paused or closed SME returns to when it resumes or is reopened."),
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

    @property
    def stage_due_on(self):
        """The day the current stage should be over (journey.stages), or None for a stage without a duration."""
        return stages.due_on(self.stage, self.stage_entered_at, self.launchpad.time_zone)

    @property
    def is_overdue(self) -> bool:
        return stages.is_overdue(self.stage, self.stage_entered_at, self.launchpad.time_zone)

    @property
    def days_overdue(self) -> int:
        """Days past the current stage's due day (0 when on time)."""
        return stages.days_overdue(self.stage, self.stage_entered_at, self.launchpad.time_zone)

    # --- The journey. Each method only moves the stage; journey.transitions does the rest. ---

    @transition(field=stage, source=Stage.ENQUIRY, target=Stage.SCREENING)
    def start_screening(self):
        pass

    @transition(field=stage, source=Stage.SCREENING, target=Stage.ASSESSMENT)
    def pass_screening(self):
        pass

    @transition(field=stage, source=Stage.SCREENING, target=Stage.INELIGIBLE)
    def fail_screening(self):
        self.resume_stage = Stage.SCREENING

    @transition(field=stage, source=Stage.ASSESSMENT, target=Stage.ONBOARDING)
    def enrol(self):
        pass

    @transition(field=stage, source=Stage.ASSESSMENT, target=Stage.DECLINED)
    def decline(self):
        self.resume_stage = Stage.ASSESSMENT

    @transition(field=stage, source=Stage.ONBOARDING, target=Stage.DATA_COLLECTION)
    def finish_onboarding(self):
        pass

    @transition(field=stage, source=Stage.DATA_COLLECTION, target=Stage.PLANNING)
    def start_planning(self):
        pass

    @transition(field=stage, source=Stage.PLANNING, target=Stage.INTENSIVE)
    def start_intensive(self):
        pass

    @transition(field=stage, source=Stage.INTENSIVE, target=Stage.GROWTH_REVIEW)
    def start_growth_review(self):
        pass

    @transition(field=stage, source=Stage.GROWTH_REVIEW, target=Stage.AFTERCARE)
    def start_aftercare(self):
        pass

    @transition(field=stage, source=Stage.AFTERCARE, target=Stage.COMPLETED)
    def complete(self):
        self.resume_stage = Stage.AFTERCARE

    @transition(field=stage, source=ACTIVE_STAGES, target=Stage.PAUSED)
    def pause(self):
        self.resume_stage = self.stage

    @transition(field=stage, source=Stage.PAUSED, target=GET_STATE(_resume_stage, states=ACTIVE_STAGES))
    def resume(self):
        pass

    @transition(field=stage, source=[*ACTIVE_STAGES, Stage.PAUSED], target=Stage.WITHDRAWN)
    def withdraw(self):
        # Withdrawn while paused: reopening returns to the stage the pause kept.
        if self.stage != Stage.PAUSED:
            self.resume_stage = self.stage

    @transition(field=stage, source=FINAL_STAGES, target=GET_STATE(_resume_stage, states=ACTIVE_STAGES))
    def reopen(self):
        pass


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


class StageChange(models.Model):
    """One move of an SME along its journey: the timeline of the SME page and the basis of reporting."""

    sme = models.ForeignKey(SME, on_delete=models.CASCADE, related_name="stage_changes", verbose_name=_("SME"))
    transition = models.CharField(_("transition"), max_length=40)
    from_stage = models.CharField(_("from"), max_length=20, choices=Stage.choices)
    to_stage = models.CharField(_("to"), max_length=20, choices=Stage.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    reason = models.TextField(_("reason"), blank=True)
    # [{"key": ..., "message": ...}] for each failing condition the person overrode.
    overridden = models.JSONField(_("overridden conditions"), default=list, blank=True)

    class Meta:
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["sme", "at"])]

    def __str__(self):
        return labelled(self.sme, f"{self.get_from_stage_display()} → {self.get_to_stage_display()}")


class Assessment(models.TextChoices):
    MEETS = "meets", _("Meets the criterion")
    WITH_SUPPORT = "with_support", _("Meets it with support")
    DOES_NOT_MEET = "does_not_meet", _("Does not meet it")


def _criterion(label, help_text):
    """One criterion of the screening checklist: blank until assessed, then how the SME meets it."""
    return models.CharField(label, max_length=15, choices=Assessment.choices, blank=True, help_text=help_text)


class ScreeningChecklist(models.Model):
    """The business-criteria checklist a launchpad completes during screening (DESIGN.md, "screening").

    Complete when every criterion is assessed; eligible when none is "does not meet".
    """

    CRITERIA = [
        "sme_status",
        "location",
        "ecommerce_appetite",
        "motivation",
        "growth_capacity",
        "risk_attitude",
        "market_orientation",
        "shop_platform",
        "analytics",
    ]

    sme = models.OneToOneField(SME, on_delete=models.CASCADE, related_name="screening", verbose_name=_("SME"))
    sme_status = _criterion(_("SME status"), _("Fewer than 250 staff and turnover within the SME definition."))
    location = _criterion(_("location"), _("Based in the programme area."))
    ecommerce_appetite = _criterion(
        _("e-commerce appetite and skills"), _("Wants to sell online and has, or can build, the skills to do it.")
    )
    motivation = _criterion(_("motivation"), _("Committed to the programme's sessions and to acting on the plan."))
    growth_capacity = _criterion(
        _("capacity for growth"), _("Can supply, ship and serve more customers if sales grow.")
    )
    risk_attitude = _criterion(
        _("attitude to risk and opportunity"), _("Ready to try a new market and to learn from what does not work.")
    )
    market_orientation = _criterion(
        _("B2B/B2C orientation"), _("Clear about whether it sells to businesses, to consumers or both.")
    )
    shop_platform = _criterion(
        _("shop platform"), _("Has an online shop the platform can connect to, or will open one.")
    )
    analytics = _criterion(
        _("analytics with e-commerce tracking"), _("Web analytics with e-commerce tracking, or willing to set it up.")
    )
    notes = models.TextField(_("notes"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("screening checklist")
        verbose_name_plural = _("screening checklists")

    def __str__(self):
        return str(self.sme)

    def missing(self) -> list[str]:
        """Labels of the criteria not assessed yet."""
        return [str(self._meta.get_field(name).verbose_name) for name in self.CRITERIA if not getattr(self, name)]

    def unmet(self) -> list[str]:
        """Labels of the criteria the SME does not meet."""
        return [
            str(self._meta.get_field(name).verbose_name)
            for name in self.CRITERIA
            if getattr(self, name) == Assessment.DOES_NOT_MEET
        ]

    @property
    def is_complete(self) -> bool:
        return not self.missing()

    @property
    def is_eligible(self) -> bool:
        return self.is_complete and not self.unmet()
