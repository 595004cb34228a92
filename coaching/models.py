"""The account managers' work with each SME: the progress sheet, sessions, the plan, drift.

Every record keeps its history (who changed what, when) so that programme reporting can
compute figures as they stood on a past date: contacts by channel, sessions held /
cancelled / missed, plans shared, plan actions by status and owner, drift alerts raised
and resolved.
"""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from journey.formatting import labelled
from journey.models import SME


class Channel(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    VIDEO = "video", _("Video call")
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("E-mail")
    OTHER = "other", pgettext_lazy("contact channel", "Other")


class Contact(models.Model):
    """One line of the progress sheet: a contact between the launchpad and the SME."""

    sme = models.ForeignKey(SME, on_delete=models.CASCADE, related_name="coaching_contacts", verbose_name=_("SME"))
    happened_at = models.DateTimeField(_("date and time"), default=timezone.now, db_index=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    participants = models.CharField(_("who took part"), max_length=300, blank=True)
    summary = models.TextField(_("summary"))
    follow_up = models.TextField(_("follow-up"), blank=True)
    next_contact_on = models.DateField(_("next contact date"), null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("logged by")
    )
    created_at = models.DateTimeField(_("logged"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    # The fields a revision keeps a copy of.
    TRACKED = ["happened_at", "channel", "participants", "summary", "follow_up", "next_contact_on"]

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["-happened_at", "-pk"]
        indexes = [models.Index(fields=["sme", "happened_at"])]

    def __str__(self):
        return labelled(
            self.sme, f"{self.get_channel_display()} {date_format(timezone.localtime(self.happened_at), 'DATE_FORMAT')}"
        )


class ContactRevision(models.Model):
    """The values a contact had before one edit: the progress sheet's history."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="revisions")
    edited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    edited_at = models.DateTimeField(default=timezone.now)
    previous = models.JSONField(default=dict)

    class Meta:
        ordering = ["-edited_at", "-pk"]

    def __str__(self):
        return f"{self.contact} @ {self.edited_at:%Y-%m-%d %H:%M}"


class SessionKind(models.TextChoices):
    """The sessions of the journey (DESIGN.md, "The SME journey" and "Coaching")."""

    FIRST_CONSULTATION = "first_consultation", _("First consultation")
    ONBOARDING_A = "onboarding_a", _("Onboarding review (a): product strategy")
    ONBOARDING_B = "onboarding_b", _("Onboarding review (b): products")
    ONBOARDING_C = "onboarding_c", _("Onboarding review (c): supply-chain strategy")
    ONBOARDING_D = "onboarding_d", _("Onboarding review (d): customer segmentation")
    ONBOARDING_E = "onboarding_e", _("Onboarding review (e): go-to-market strategy")
    ONBOARDING_F = "onboarding_f", _("Onboarding review (f): new supply-chain strategy")
    MONTHLY_1 = "monthly_1", _("Monthly intensive review 1")
    MONTHLY_2 = "monthly_2", _("Monthly intensive review 2")
    MONTHLY_3 = "monthly_3", _("Monthly intensive review 3")
    MONTHLY_4 = "monthly_4", _("Monthly intensive review 4")
    GROWTH_REVIEW = "growth_review", _("Growth review")
    PERIODIC_REVIEW = "periodic_review", _("Periodic review")


ONBOARDING_KINDS = [SessionKind.ONBOARDING_A, SessionKind.ONBOARDING_B, SessionKind.ONBOARDING_C,
                    SessionKind.ONBOARDING_D, SessionKind.ONBOARDING_E, SessionKind.ONBOARDING_F]  # fmt: skip
MONTHLY_KINDS = [SessionKind.MONTHLY_1, SessionKind.MONTHLY_2, SessionKind.MONTHLY_3, SessionKind.MONTHLY_4]
# The formal reviews that record the six questions' answers.
FORMAL_KINDS = [*MONTHLY_KINDS, SessionKind.GROWTH_REVIEW, SessionKind.PERIODIC_REVIEW]


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", pgettext_lazy("session status", "Scheduled")
    HELD = "held", pgettext_lazy("session status", "Held")
    CANCELLED = "cancelled", pgettext_lazy("session status", "Cancelled")
    MISSED = "missed", pgettext_lazy("session status", "Missed")


# The six questions of a formal review (DESIGN.md, "Coaching"): field name → prompt.
REVIEW_QUESTIONS = [
    ("answer_on_track", _("Are you on track with your plan?")),
    ("answer_agree_plan", _("Do you still agree with the plan?")),
    ("answer_worries", _("What distracts or holds you back, what worries you?")),
    ("answer_opportunities", _("What new opportunities have you found or are you working on?")),
    ("answer_progress", _("How do you rate your progress on entering the new market?")),
    ("answer_support", _("How is the programme supporting you, what impact does it have on your business?")),
]


def _new_uid() -> str:
    return f"{uuid.uuid4()}@e-channel"


def seeded_uid(*parts) -> str:
    """A calendar UID that is the same each time the demo is built from the same parts (uuid5)."""
    return f"{uuid.uuid5(uuid.NAMESPACE_URL, 'e-channel:' + '/'.join(str(part) for part in parts))}@e-channel"


class Session(models.Model):
    """A review and planning session, published as one iCalendar event (same UID forever).

    ``sequence`` goes up and ``dtstamp`` moves whenever attendees must update their
    calendars (a reschedule, a change of place, a cancellation), as RFC 5545 asks.
    """

    uid = models.CharField(_("calendar UID"), max_length=80, unique=True, default=_new_uid, editable=False)
    sme = models.ForeignKey(SME, on_delete=models.CASCADE, related_name="coaching_sessions", verbose_name=_("SME"))
    kind = models.CharField(_("session"), max_length=20, choices=SessionKind.choices)
    starts_at = models.DateTimeField(_("starts"), db_index=True)
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"), default=60)
    location = models.CharField(_("place"), max_length=200, blank=True)
    video_url = models.URLField(_("video link"), blank=True)
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="organised_sessions",
        verbose_name=_("account manager"),
    )  # fmt: skip
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="coaching_sessions", verbose_name=_("participants")
    )
    other_participants = models.CharField(_("other participants"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=SessionStatus.choices, default="scheduled")
    status_changed_at = models.DateTimeField(_("status since"), default=timezone.now)
    sequence = models.PositiveIntegerField(default=0, editable=False)
    dtstamp = models.DateTimeField(default=timezone.now, editable=False)
    answer_on_track = models.TextField(REVIEW_QUESTIONS[0][1], blank=True)
    answer_agree_plan = models.TextField(REVIEW_QUESTIONS[1][1], blank=True)
    answer_worries = models.TextField(REVIEW_QUESTIONS[2][1], blank=True)
    answer_opportunities = models.TextField(REVIEW_QUESTIONS[3][1], blank=True)
    answer_progress = models.TextField(REVIEW_QUESTIONS[4][1], blank=True)
    answer_support = models.TextField(REVIEW_QUESTIONS[5][1], blank=True)
    notes = models.TextField(_("notes"), blank=True)
    agreed_actions = models.TextField(_("agreed actions"), blank=True)
    long_term_plan = models.TextField(
        _("long-term plan"), blank=True, help_text=_("Recorded at the growth review: the plan beyond the intensive.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["starts_at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.sme}"

    @property
    def ends_at(self):
        return self.starts_at + datetime.timedelta(minutes=self.duration_minutes)

    @property
    def is_formal(self) -> bool:
        return self.kind in FORMAL_KINDS

    def answers(self) -> list[tuple[str, str]]:
        """(question, answer) for the six questions, in the active language."""
        return [(str(prompt), getattr(self, name)) for name, prompt in REVIEW_QUESTIONS]


class SessionChange(models.Model):
    """One event in a session's life: scheduled, rescheduled, updated, held, cancelled, missed."""

    class Event(models.TextChoices):
        SCHEDULED = "scheduled", pgettext_lazy("session status", "Scheduled")
        RESCHEDULED = "rescheduled", pgettext_lazy("session status", "Rescheduled")
        UPDATED = "updated", pgettext_lazy("session status", "Updated")
        HELD = "held", pgettext_lazy("session status", "Held")
        CANCELLED = "cancelled", pgettext_lazy("session status", "Cancelled")
        MISSED = "missed", pgettext_lazy("session status", "Missed")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="changes")
    event = models.CharField(max_length=12, choices=Event.choices)
    status = models.CharField(max_length=10, choices=SessionStatus.choices)  # the status after the event
    starts_at = models.DateTimeField()  # the start after the event
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.get_event_display()} {self.at:%Y-%m-%d %H:%M}"


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SHARED = "shared", _("Shared with the SME")
    SUPERSEDED = "superseded", _("Replaced by a newer version")


class Plan(models.Model):
    """One version of an SME's new-market entry plan.

    The account manager edits a draft; sharing freezes it. Editing a shared plan starts
    the next version as a draft (a copy), which replaces the shared one when it is shared
    in turn. The statuses of actions are the SME's work, not the plan's wording: they are
    tracked on the shared version and carried into the next one when it is shared.
    """

    sme = models.ForeignKey(SME, on_delete=models.CASCADE, related_name="plans", verbose_name=_("SME"))
    version = models.PositiveIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    objectives = models.TextField(_("objectives"), blank=True)
    success_criteria = models.TextField(_("success criteria"), blank=True)
    training = models.TextField(_("training and development opportunities"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    shared_at = models.DateTimeField(_("shared"), null=True, blank=True)
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    superseded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("new-market entry plan")
        verbose_name_plural = _("new-market entry plans")
        ordering = ["sme", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["sme", "version"], name="plan_version_unique"),
            models.UniqueConstraint(fields=["sme"], condition=models.Q(status="draft"), name="plan_one_draft"),
        ]

    def __str__(self):
        return f"{self.title} (v{self.version})"

    @property
    def is_frozen(self) -> bool:
        return self.status != PlanStatus.DRAFT


class Orientation(models.TextChoices):
    B2B = "b2b", _("B2B")
    B2C = "b2c", _("B2C")


class SalesChannel(models.TextChoices):
    """The kinds of channel a target market names; orders are sorted into them by ``coaching.outcomes``."""

    ANY = "any", _("Any channel")
    WEB = "web", _("Web shop")
    MARKETPLACE = "marketplace", _("Marketplace")
    B2B = "b2b", _("B2B / wholesale")


class TargetMarket(models.Model):
    """A new market the plan aims at: a country (or any), a channel (or any), an optional segment.

    ``country`` is an ISO 3166-1 code, empty for "any country". ``country_text`` keeps a country
    written by hand before markets were structured that matched no country: staff review it.
    """

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="markets")
    country = models.CharField(_("country"), max_length=2, blank=True, help_text=_("Leave empty for any country."))
    country_text = models.CharField(_("country as first written"), max_length=100, blank=True)
    sales_channel = models.CharField(
        _("channel"), max_length=12, choices=SalesChannel.choices, default=SalesChannel.ANY
    )
    segment = models.CharField(_("customer segment"), max_length=200, blank=True)
    channel = models.CharField(
        _("channel details"), max_length=200, blank=True, help_text=_("e.g. the marketplace's name")
    )
    orientation = models.CharField(_("B2B or B2C"), max_length=3, choices=Orientation.choices)
    evidence = models.TextField(_("evidence"), blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("target market")
        verbose_name_plural = _("target markets")
        ordering = ["position", "pk"]

    def __str__(self):
        return " · ".join(part for part in (self.country_label, self.get_sales_channel_display(), self.segment) if part)

    @property
    def country_label(self) -> str:
        from .countries import country_name

        if self.country:
            return country_name(self.country)
        return self.country_text or str(_("Any country"))

    @property
    def needs_review(self) -> bool:
        """A country written by hand that matched no ISO code: staff should choose one."""
        return not self.country and bool(self.country_text)


class OwnerType(models.TextChoices):
    SME_STAFF = "sme_staff", _("The SME's own staff")
    EXTERNAL = "external", _("An external provider (often paid)")
    ACCOUNT_MANAGER = "account_manager", _("The account manager, to investigate")


class ActionStatus(models.TextChoices):
    PROPOSED = "proposed", pgettext_lazy("plan action status", "Proposed")
    ACCEPTED = "accepted", pgettext_lazy("plan action status", "Accepted")
    REJECTED = "rejected", pgettext_lazy("plan action status", "Rejected by the SME")
    IN_PROGRESS = "in_progress", pgettext_lazy("plan action status", "In progress")
    DONE = "done", pgettext_lazy("plan action status", "Done")
    NO_ACTION = "no_action", pgettext_lazy("plan action status", "No action (business decision)")


# Statuses of work the SME has taken on and not finished.
OPEN_STATUSES = [ActionStatus.PROPOSED, ActionStatus.ACCEPTED, ActionStatus.IN_PROGRESS]


class PlanAction(models.Model):
    """One action of a plan version. ``key`` is the same for the action's copies in later versions."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="actions")
    key = models.UUIDField(default=uuid.uuid4, db_index=True, editable=False)
    title = models.CharField(_("title"), max_length=200)
    detail = models.TextField(_("detail"), blank=True)
    owner_type = models.CharField(_("done by"), max_length=20, choices=OwnerType.choices)
    due_on = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=ActionStatus.choices, default="proposed")
    status_changed_at = models.DateTimeField(_("status since"), default=timezone.now)
    finding_kind = models.CharField(_("from toolkit finding"), max_length=20, blank=True)
    finding_ref = models.CharField(max_length=200, blank=True)
    # When the product of an opportunity action was first seen out of stock (tracked, none left): when
    # the action was proposed or by a later sync. A sync that then shows it a strong product in stock
    # again closes the action (``outcomes.actions_close_restocked``).
    out_of_stock_seen_at = models.DateTimeField(_("product seen out of stock"), null=True, blank=True)
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("plan action")
        verbose_name_plural = _("plan actions")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.title


class ActionStatusChange(models.Model):
    """One change of an action's status (the first row records its creation)."""

    action = models.ForeignKey(PlanAction, on_delete=models.CASCADE, related_name="status_changes")
    key = models.UUIDField(db_index=True)  # the action across versions
    from_status = models.CharField(max_length=12, choices=ActionStatus.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=ActionStatus.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(default=timezone.now, db_index=True)
    note = models.CharField(max_length=300, blank=True)
    # Closed by the platform (a later sync showed the toolkit finding fixed), not by a person.
    automatic = models.BooleanField(default=False)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.from_status or '-'} → {self.to_status}"


class DriftReason(models.TextChoices):
    NO_CONTACT = "no_contact", _("No contact")
    MONTHLY_REVIEW_OVERDUE = "monthly_overdue", _("Monthly review overdue")
    ACTION_OVERDUE = "action_overdue", _("Plan action past due")
    STAGE_OVERDUE = "stage_overdue", _("Stage overdue")


class DriftAlert(models.Model):
    """A reason an SME needs attention, open from ``raised_at`` until its cause goes (``resolved_at``).

    ``since`` is the day the cause began to count (the day contact became overdue, the
    review's or action's due day, the stage's due day): the oldest is the most urgent.
    """

    sme = models.ForeignKey(SME, on_delete=models.CASCADE, related_name="drift_alerts", verbose_name=_("SME"))
    reason = models.CharField(_("reason"), max_length=20, choices=DriftReason.choices)
    ref = models.CharField(max_length=80, blank=True)  # which review, action or stage
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    since = models.DateField(_("overdue since"))
    raised_at = models.DateTimeField(_("raised"), default=timezone.now, db_index=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("drift alert")
        verbose_name_plural = _("drift alerts")
        ordering = ["since", "sme__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["sme", "reason", "ref"], condition=models.Q(resolved_at__isnull=True), name="drift_one_open"
            )
        ]

    def __str__(self):
        return labelled(self.sme, self.get_reason_display())


class CalendarFeed(models.Model):
    """A person's secret calendar address. The token is stored hashed (lookup) and encrypted (to show it again)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed")
    token_hash = models.CharField(max_length=64, unique=True)
    token_encrypted = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return str(self.user)


# --- The capture mailbox (coaching/capture) -------------------------------------------------------


class CaptureStatus(models.TextChoices):
    DRAFT = "draft", _("To confirm")
    TRIAGE = "triage", _("In triage")
    CONFIRMED = "confirmed", _("Confirmed")
    DISCARDED = "discarded", _("Discarded")
    CANCELLED = "cancelled", _("Meeting cancelled")
    APPLIED = "applied", _("Applied to an earlier invitation")


class CaptureReason(models.TextChoices):
    """Why a captured message waits in the launchpad's triage list (shown in the reader's language)."""

    UNKNOWN_SENDER = "unknown_sender", _("The sender is not a member of the programme's staff.")
    FORGED_SENDER = (
        "forged_sender",
        _("The sender's address cannot be trusted: it failed the mailbox's checks or its name hides another address."),
    )
    NO_SME = "no_sme", _("No SME you look after matches the people or the web domains in this message.")
    NOT_YOURS = "not_yours", _("This message concerns an SME the sender may not change.")
    SEVERAL_SMES = "several_smes", _("Several SMEs match this message: choose the right one.")
    TOO_LARGE = "too_large", _("The message is too large to be read; only its headers were kept.")
    ATTACHMENT_TOO_LARGE = "attachment_too_large", _("An attachment is over the size limit; attachments are not kept.")
    TOO_NESTED = "too_nested", _("The message is nested too deeply (or has too many parts) to be read.")
    BAD_ENCODING = "bad_encoding", _("The message's text is in a broken or unknown encoding: check the excerpt.")
    HTML_ONLY = "html_only", _("The message has only an HTML version: its text was extracted, check it.")
    UNREADABLE = "unreadable", _("The message could not be read as an e-mail.")
    UNKNOWN_INVITATION = "unknown_invitation", _("An update or cancellation of a meeting that was never captured.")
    CANCELLED_AFTER_CONFIRMATION = (
        "cancelled_confirmed",
        _("This meeting was cancelled after its contact was confirmed: correct the progress sheet, then discard this."),
    )


class CapturedMessage(models.Model):
    """One message delivered to a capture address (or dropped as a file), and the draft it became.

    ``message_key`` (the Message-ID's digest, or the raw message's when it has none) is unique:
    a message is recorded once, in the same transaction as its draft, so a poll that crashes
    mid-batch and starts again captures nothing twice. Attachments are never kept: only their
    names, types and sizes. Nothing here is on the progress sheet until someone confirms it.
    """

    class Source(models.TextChoices):
        MAILBOX = "mailbox", _("Capture mailbox")
        UPLOAD = "upload", _("File dropped on the SME's page")
        FILE = "file", _("File read by the capture_mail command")

    class Kind(models.TextChoices):
        EMAIL = "email", _("E-mail")
        INVITATION = "invitation", _("Meeting invitation")

    message_key = models.CharField(max_length=64, unique=True)
    message_id = models.CharField(max_length=500, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.EMAIL)
    launchpad = models.ForeignKey(
        "journey.Launchpad", on_delete=models.CASCADE, null=True, blank=True, related_name="+",
        verbose_name=_("launchpad"),
    )  # fmt: skip
    status = models.CharField(_("status"), max_length=10, choices=CaptureStatus.choices, db_index=True)
    reason = models.CharField(_("reason"), max_length=24, choices=CaptureReason.choices, blank=True)
    reason_detail = models.CharField(max_length=300, blank=True)  # data (file names, sizes), not prose
    sender_email = models.CharField(_("sender"), max_length=320, blank=True)
    sender_name = models.CharField(max_length=200, blank=True)
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    sme = models.ForeignKey(
        SME, on_delete=models.CASCADE, null=True, blank=True, related_name="captured_messages", verbose_name=_("SME")
    )
    candidates = models.ManyToManyField(SME, blank=True, related_name="+", verbose_name=_("possible SMEs"))
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    excerpt = models.TextField(_("first lines"), blank=True)
    happened_at = models.DateTimeField(_("date and time"), null=True, blank=True)
    duration_minutes = models.PositiveIntegerField(null=True, blank=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.EMAIL)
    participants = models.CharField(_("who took part"), max_length=300, blank=True)
    location = models.CharField(_("place"), max_length=200, blank=True)
    video_url = models.URLField(_("video link"), max_length=500, blank=True)
    ical_uid = models.CharField(max_length=255, blank=True, db_index=True)
    ical_sequence = models.IntegerField(default=0)
    attachments = models.JSONField(default=list, blank=True)  # [{"name", "type", "size"}], never the content
    applied_to = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    contact = models.ForeignKey(Contact, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    received_at = models.DateTimeField(_("received"), default=timezone.now, db_index=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("captured message")
        verbose_name_plural = _("captured messages")
        ordering = ["-received_at", "-pk"]

    def __str__(self):
        return self.subject or self.message_id or str(self.pk)


# --- Outcomes (coaching/outcomes.py) -------------------------------------------------------------


class TrackedMarket(models.Model):
    """A target market followed since the first plan naming it was shared, with its frozen baseline.

    One per SME and (country, channel, segment): later plan versions naming the same market keep
    following it, with the baseline frozen at the first sharing. ``baseline_*`` cover the orders
    placed from ``baseline_start`` to ``tracked_since`` (12 months, or as far back as the data
    went); ``readiness_*`` the SME's data then (DESIGN.md, "Data readiness").
    """

    sme = models.ForeignKey(SME, on_delete=models.CASCADE, related_name="tracked_markets", verbose_name=_("SME"))
    country = models.CharField(_("country"), max_length=2, blank=True)
    sales_channel = models.CharField(_("channel"), max_length=12, choices=SalesChannel.choices)
    segment = models.CharField(_("customer segment"), max_length=200, blank=True)
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="+", verbose_name=_("first shared in"))
    tracked_since = models.DateTimeField(_("followed since"))
    baseline_start = models.DateTimeField(_("baseline from"), null=True, blank=True)
    baseline_months = models.DecimalField(_("baseline months"), max_digits=5, decimal_places=1, default=0)
    baseline_sales = models.DecimalField(_("baseline net sales"), max_digits=14, decimal_places=2, default=0)
    baseline_orders = models.PositiveIntegerField(_("baseline orders"), default=0)
    baseline_customers = models.PositiveIntegerField(_("baseline customers"), null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    readiness_level = models.CharField(_("data readiness then"), max_length=12, blank=True)
    readiness_months = models.DecimalField(_("months of data then"), max_digits=5, decimal_places=1, default=0)

    class Meta:
        verbose_name = _("followed target market")
        verbose_name_plural = _("followed target markets")
        ordering = ["sme", "tracked_since", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["sme", "country", "sales_channel", "segment"], name="tracked_market_once")
        ]

    def __str__(self):
        from .countries import country_name

        country = country_name(self.country) if self.country else _("Any country")
        return f"{self.sme}: {country} · {self.get_sales_channel_display()}"

    @property
    def country_label(self) -> str:
        from .countries import country_name

        return country_name(self.country) if self.country else str(_("Any country"))

    @property
    def is_new_market(self) -> bool:
        """No order from it in the baseline: a first sale there is a first sale in a new market."""
        return self.baseline_orders == 0


class OutcomeKind(models.TextChoices):
    FIRST_SALE = "first_sale", _("First sale in a new market")
    ESTABLISHED = "established", _("Market established")


class OutcomeAnswer(models.TextChoices):
    UNCONFIRMED = "unconfirmed", _("Not confirmed yet")
    CONFIRMED = "confirmed", _("Confirmed: the programme helped")
    ANYWAY = "anyway", _("Would have happened anyway")
    NOT_NEW = "not_new", _("Not a new market for the SME")


class OutcomeEvent(models.Model):
    """An outcome seen in the SME's orders: the first sale in a new market, or a market established.

    ``occurred_at`` is when it happened in the orders (the first order; the start of the third
    month running with sales); ``detected_at`` when the platform saw it. The figures are the
    ones offered to the SME for confirmation. The SME's answer is the latest ``OutcomeConfirmation``;
    ``answer`` repeats it for quick reads, the log keeps every answer with its date.
    """

    market = models.ForeignKey(TrackedMarket, on_delete=models.CASCADE, related_name="events")
    sme = models.ForeignKey(SME, on_delete=models.CASCADE, related_name="outcome_events", verbose_name=_("SME"))
    kind = models.CharField(_("outcome"), max_length=12, choices=OutcomeKind.choices)
    occurred_at = models.DateTimeField(_("happened"), db_index=True)
    detected_at = models.DateTimeField(_("detected"), default=timezone.now)
    month = models.DateField(_("month"))  # first day of the month it happened in (SME's time zone)
    net_sales = models.DecimalField(_("net sales"), max_digits=14, decimal_places=2, default=0)
    orders = models.PositiveIntegerField(_("orders"), default=0)
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    answer = models.CharField(
        _("SME's answer"), max_length=12, choices=OutcomeAnswer.choices, default=OutcomeAnswer.UNCONFIRMED
    )

    class Meta:
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        ordering = ["-occurred_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["market", "kind"], name="outcome_once_per_market")]

    def __str__(self):
        return labelled(self.get_kind_display(), self.market)


class OutcomeConfirmation(models.Model):
    """One answer of the SME to "did the programme help?" (the latest counts; all are kept)."""

    event = models.ForeignKey(OutcomeEvent, on_delete=models.CASCADE, related_name="confirmations")
    answer = models.CharField(_("answer"), max_length=12, choices=OutcomeAnswer.choices)
    note = models.TextField(_("note"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return labelled(self.event, self.get_answer_display())
