"""Forms of the capture mailbox: a file dropped on an SME's page."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from journey.form_errors import ExplainedErrorsMixin


class CaptureUploadForm(ExplainedErrorsMixin, forms.Form):
    file = forms.FileField(
        label=_("E-mail (.eml) or invitation (.ics)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".eml,.ics,message/rfc822,text/calendar"}),
    )

    def clean_file(self):
        file = self.cleaned_data["file"]
        if not file.name.lower().endswith((".eml", ".ics")):
            raise forms.ValidationError(_("Drop an e-mail saved as .eml or an invitation saved as .ics."))
        if file.size > settings.CAPTURE_MAX_MESSAGE_BYTES:
            raise forms.ValidationError(_("This file is too large to be read."))
        return file.read()
