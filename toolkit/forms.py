"""Forms of the toolkit's pages: the SME's targets (checked here, written by ``services.target_add``)."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from journey.form_errors import ExplainedErrorsMixin

from .models import Metric, Target

# A target further away than this is a wish, not a plan: the trend cannot say anything about it.
MAX_YEARS_AHEAD = 5


class TargetForm(ExplainedErrorsMixin, forms.ModelForm):
    """A monthly figure (sales, orders or profit) to reach by a date, in the SME's currency for money."""

    class Meta:
        model = Target
        fields = ["metric", "value", "due"]
        labels = {"metric": _("Measure"), "value": _("Monthly figure to reach"), "due": _("By")}
        widgets = {"due": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        help_texts = {"value": _("Money in the company's currency, or a number of orders.")}

    def __init__(self, *args, sme, **kwargs):
        super().__init__(*args, **kwargs)
        self.sme = sme
        self.fields["metric"].choices = Metric.choices
        self.fields["due"].input_formats = ["%Y-%m-%d", "%d/%m/%Y"]

    def clean_value(self):
        value = self.cleaned_data["value"]
        if value is not None and value <= 0:
            raise forms.ValidationError(gettext("A target must be above zero."))
        return value

    def clean_due(self):
        due = self.cleaned_data["due"]
        today = timezone.localdate()
        if due < today:
            raise forms.ValidationError(gettext("Choose a date in the future."))
        if due > today + datetime.timedelta(days=round(365.25 * MAX_YEARS_AHEAD)):
            raise forms.ValidationError(
                gettext("Choose a date within %(years)s years: the trend says nothing about later.")
                % {"years": MAX_YEARS_AHEAD}
            )
        return due

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("metric") == Metric.ORDERS and cleaned.get("value") is not None:
            if cleaned["value"] != cleaned["value"].to_integral_value():
                self.add_error("value", gettext("A number of orders is a whole number."))
        return cleaned
