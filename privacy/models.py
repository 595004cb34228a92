"""The register of personal-data requests (UK GDPR / GDPR Art. 15, 17, 20)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RequestKind(models.TextChoices):
    ACCESS = "access", _("Access (export)")
    ERASURE = "erasure", _("Erasure")


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    DONE = "done", _("Done")
    REFUSED = "refused", _("Refused")


class PrivacyRequest(models.Model):
    """One request about one person: who asked, who carried it out, when, and what was done.

    The person is kept only as a salted hash of their e-mail address (``subject_hash``), so
    the register itself holds none of their data after an erasure, yet a repeated request
    about the same address can be recognised. Rows are purged after
    ``PRIVACY_REGISTER_RETENTION_MONTHS`` (``purge_expired``).
    """

    kind = models.CharField(_("kind"), max_length=10, choices=RequestKind.choices)
    status = models.CharField(_("status"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.PENDING)
    subject_hash = models.CharField(_("person (hashed e-mail)"), max_length=64, db_index=True)
    subject_kinds = models.CharField(_("kinds of person"), max_length=200, blank=True)
    by_the_person = models.BooleanField(_("asked by the person themselves"), default=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("asked by"),
    )
    carried_out_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("carried out by"),
    )
    via = models.CharField(_("through"), max_length=20, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    outcome = models.JSONField(_("what was done"), default=dict, blank=True)
    created_at = models.DateTimeField(_("asked"), auto_now_add=True)
    completed_at = models.DateTimeField(_("carried out"), null=True, blank=True)
    # A self-service export: the file waiting for its owner, and until when the link works.
    export_file = models.CharField(max_length=200, blank=True, editable=False)
    expires_at = models.DateTimeField(_("link expires"), null=True, blank=True)

    class Meta:
        verbose_name = _("personal-data request")
        verbose_name_plural = _("personal-data requests")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d}"

    def kind_labels(self) -> str:
        """The kinds of person, in the reader's language."""
        from .people import KIND_LABELS

        return ", ".join(str(KIND_LABELS.get(kind, kind)) for kind in self.subject_kinds.split(", ") if kind)

    def carried_out_label(self) -> str:
        """Who carried it out: a member of staff, or the command line, or the site itself (a person's own export)."""
        if self.carried_out_by_id:
            return str(self.carried_out_by)
        return str(_("command line") if self.via == "command" else _("automatically"))
