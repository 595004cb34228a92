"""Forms of the public sign-in pages."""

from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.db import transaction
from django.template import loader
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .form_errors import ExplainedErrorsMixin
from .tasks import email_send


class SignInForm(ExplainedErrorsMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": _("That e-mail address and password do not match an account. The password is case-sensitive."),
        "inactive": _("This account is inactive. Please contact your launchpad."),
    }

    def clean_username(self):
        # Accounts are stored with lower-case e-mail addresses.
        return self.cleaned_data["username"].strip().lower()


class QueuedPasswordResetForm(ExplainedErrorsMixin, PasswordResetForm):
    """Password reset whose e-mail is written in the user's language and sent by a Celery task."""

    def send_mail(
        self, subject_template_name, email_template_name, context, from_email, to_email, html_email_template_name=None
    ):
        language = getattr(context.get("user"), "preferred_language", "") or translation.get_language()
        with translation.override(language):
            subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
            body = loader.render_to_string(email_template_name, context)
        transaction.on_commit(lambda: email_send.delay(subject=subject, body=body, to=[to_email]))
