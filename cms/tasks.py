"""Background work of the public site, run by Celery workers (or in-process without a broker)."""

from __future__ import annotations

import logging

from celery import shared_task
from django.core.mail import EmailMessage
from django.utils import timezone, translation
from django.utils.translation import gettext

logger = logging.getLogger(__name__)


def _one_line(text: str) -> str:
    """``text`` with every run of whitespace, line breaks included, as one space: safe in an e-mail header."""
    return " ".join(text.split())


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def contact_message_notify(*, message_id: int) -> int:
    """E-mail a contact message to its launchpad's team, in the launchpad's language, replying to the sender.

    Sent once: a message already marked as e-mailed is skipped, so a retried task never
    sends it twice. Returns the number of e-mails sent.
    """
    from .models import ContactMessage
    from .selectors import contact_recipients

    message = ContactMessage.objects.select_related("launchpad").filter(pk=message_id).first()
    if message is None or message.notified_at is not None:
        return 0
    recipients = contact_recipients(message.launchpad)
    if not recipients:
        logger.warning("Contact message %s: nobody to send it to at %s.", message.pk, message.launchpad)
        return 0
    with translation.override(message.launchpad.language):
        # A header holds one line: a name posted with line breaks is folded into one in the subject
        # (the body keeps it as written), never refused by the mail library after the visitor was thanked.
        subject = gettext("E-Channel contact form: message from %(name)s") % {"name": _one_line(message.name)}
        lines = [
            gettext("A visitor wrote to %(launchpad)s through the E-Channel contact page.")
            % {"launchpad": message.launchpad.name},
            "",
            gettext("Name: %(name)s") % {"name": message.name},
            gettext("E-mail: %(email)s") % {"email": message.email},
        ]
        if message.organisation:
            lines.append(gettext("Organisation: %(organisation)s") % {"organisation": message.organisation})
        language = translation.get_language_info(message.language)["name_translated"]
        lines.append(gettext("Written in: %(language)s") % {"language": language})
        lines += ["", message.message, "", gettext("Reply to this e-mail to answer the visitor.")]
    sent = EmailMessage(subject=subject, body="\n".join(lines) + "\n", to=recipients, reply_to=[message.email]).send()
    message.notified_at = timezone.now()
    message.save(update_fields=["notified_at"])
    return sent
