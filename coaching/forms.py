"""Forms of coaching. Date-times are read and shown in the launchpad's time zone (the view activates it)."""

from __future__ import annotations

import datetime

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from journey.form_errors import ExplainedErrorsMixin
from journey.models import SME, Role, User

from .countries import country_choices
from .models import (
    REVIEW_QUESTIONS,
    Channel,
    Contact,
    Plan,
    PlanAction,
    Session,
    SessionKind,
    SessionStatus,
    TargetMarket,
)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ContactForm(ExplainedErrorsMixin, forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["happened_at", "channel", "participants", "summary", "follow_up", "next_contact_on"]
        widgets = {
            "happened_at": DateTimeInput(),
            "channel": forms.RadioSelect,
            "summary": forms.Textarea(attrs={"rows": 3}),
            "follow_up": forms.Textarea(attrs={"rows": 2}),
            "next_contact_on": DateInput(),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["happened_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
        self.fields["channel"].choices = Channel.choices  # no empty radio button

    def clean(self):
        cleaned = super().clean()
        happened, following = cleaned.get("happened_at"), cleaned.get("next_contact_on")
        if happened and following and following < happened.date():
            self.add_error("next_contact_on", _("The next contact cannot be before this one."))
        return cleaned


def people_for(sme: SME):
    """Who can be invited to the SME's sessions: its users and the staff who follow it."""
    return User.objects.filter(
        Q(sme=sme)
        | Q(role__in=[Role.ACCOUNT_MANAGER, Role.LAUNCHPAD_MANAGER], launchpad_id=sme.launchpad_id)
        | Q(shared_smes=sme),
        is_active=True,
    ).distinct()


class SessionForm(ExplainedErrorsMixin, forms.ModelForm):
    """Schedule or change a session: in the future, between 15 minutes and 8 hours long.

    A meeting that already took place may still be entered, ticked as held: it is then recorded,
    not scheduled (nobody is invited to the past).
    """

    MIN_MINUTES = 15
    MAX_MINUTES = 8 * 60
    # A session that starts a few minutes ago is the one being entered at its start, not the past.
    GRACE = datetime.timedelta(minutes=10)
    FURTHEST = datetime.timedelta(days=2 * 366)

    already_held = forms.BooleanField(
        label=_("This session has already taken place: record it as held"),
        help_text=_("Tick it to enter a past meeting; no invitation is sent for it."),
        required=False,
    )

    class Meta:
        model = Session
        fields = ["kind", "starts_at", "duration_minutes", "location", "video_url", "participants",
                  "other_participants"]  # fmt: skip
        widgets = {"starts_at": DateTimeInput(), "participants": forms.CheckboxSelectMultiple}

    def __init__(self, *args, sme: SME, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["starts_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
        self.fields["participants"].queryset = people_for(sme)
        duration = self.fields["duration_minutes"]
        duration.min_value, duration.max_value = self.MIN_MINUTES, self.MAX_MINUTES
        duration.widget.attrs.update(min=self.MIN_MINUTES, max=self.MAX_MINUTES, step=5)
        self.fields["kind"].choices = SessionKind.choices
        if self.instance.pk:
            # Changing a session keeps its status: held or not is decided on the session's page.
            del self.fields["already_held"]

    def clean_duration_minutes(self):
        minutes = self.cleaned_data["duration_minutes"]
        if not self.MIN_MINUTES <= minutes <= self.MAX_MINUTES:
            raise forms.ValidationError(
                _("Duration: give a length between 15 minutes and 8 hours (480 minutes), for example 60.")
            )
        return minutes

    def clean(self):
        cleaned = super().clean()
        starts_at = cleaned.get("starts_at")
        if starts_at:
            now = timezone.now()
            moved = not self.instance.pk or starts_at != self.instance.starts_at
            recorded = cleaned.get("already_held") or self.instance.status == SessionStatus.HELD
            if moved and starts_at < now - self.GRACE and not recorded:
                self.add_error(
                    "starts_at",
                    _(
                        "Date and time: this is in the past. Choose a future date, or tick “already taken "
                        "place” below to record a meeting that was held."
                    ),
                )
            elif starts_at > now + self.FURTHEST:
                self.add_error("starts_at", _("Date and time: choose a date within the next two years."))
            elif cleaned.get("already_held") and starts_at > now + self.GRACE:
                self.add_error(
                    "already_held",
                    _("A session in the future cannot have taken place yet: untick “already taken place”."),
                )
        if not cleaned.get("location") and not cleaned.get("video_url") and not self.errors:
            raise forms.ValidationError(_("Place or video link: give one of them, so participants know where to go."))
        return cleaned


class SessionRecordForm(ExplainedErrorsMixin, forms.ModelForm):
    """What was said: the six answers (formal reviews), notes, agreed actions, the long-term plan."""

    class Meta:
        model = Session
        fields = [name for name, _prompt in REVIEW_QUESTIONS] + ["notes", "agreed_actions", "long_term_plan"]
        widgets = {name: forms.Textarea(attrs={"rows": 2}) for name in
                   [*(n for n, _p in REVIEW_QUESTIONS), "notes", "agreed_actions", "long_term_plan"]}  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        session = self.instance
        if not session.is_formal:
            for name, _prompt in REVIEW_QUESTIONS:
                del self.fields[name]
        if session.kind != SessionKind.GROWTH_REVIEW:
            del self.fields["long_term_plan"]


class PlanForm(ExplainedErrorsMixin, forms.ModelForm):
    class Meta:
        model = Plan
        fields = ["title", "summary", "objectives", "success_criteria", "training"]
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in
                   ["summary", "objectives", "success_criteria", "training"]}  # fmt: skip


class TargetMarketForm(ExplainedErrorsMixin, forms.ModelForm):
    """A target market: a country chosen from the list in the reader's language (or any), a kind of channel.

    A country written by hand before markets were structured, that matched no country, is shown
    above the list until someone chooses one.
    """

    country = forms.ChoiceField(label=_("Country"), required=False)

    class Meta:
        model = TargetMarket
        fields = ["country", "sales_channel", "channel", "segment", "orientation", "evidence"]
        widgets = {"evidence": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("Any country")), *country_choices()]
        written = self.instance.country_text if self.instance.pk and self.instance.needs_review else ""
        if written:
            help_text = _("Written before as “%(text)s”, which matches no country: choose one.")
            self.fields["country"].help_text = help_text % {"text": written}

    def clean_country(self):
        return (self.cleaned_data.get("country") or "").upper()


class PlanActionForm(ExplainedErrorsMixin, forms.ModelForm):
    class Meta:
        model = PlanAction
        fields = ["title", "detail", "owner_type", "due_on"]
        widgets = {"detail": forms.Textarea(attrs={"rows": 2}), "due_on": DateInput()}


MarketFormSet = forms.inlineformset_factory(Plan, TargetMarket, form=TargetMarketForm, extra=1, can_delete=True)
ActionFormSet = forms.inlineformset_factory(Plan, PlanAction, form=PlanActionForm, extra=1, can_delete=True)
