"""Forms the composition root gives Wagtail's admin."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.auth import LoginForm


class AdminLoginForm(LoginForm):
    """Wagtail's sign-in form with a translated password label and e-mail addresses in lower case.

    Wagtail's own form gives its password field no label, so Django writes the English field
    name ("Password") on the French admin login.
    """

    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"placeholder": _("Enter password"), "autocomplete": "current-password"}),
    )

    def clean_username(self):
        # Accounts are stored with lower-case e-mail addresses (journey.forms.SignInForm does the same).
        return self.cleaned_data["username"].strip().lower()
