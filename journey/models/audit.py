"""Wagtail's model log entries, read through ``journey.scoping``."""

from wagtail.models import ModelLogEntry
from wagtail.models.audit_log import ModelLogEntryManager


class ScopedLogEntryManager(ModelLogEntryManager):
    """Wagtail's model log entries as a reader may see them: an SME's only if they may see the SME."""

    def viewable_by_user(self, user):
        from ..scoping import scope_log_entries

        return scope_log_entries(user, super().viewable_by_user(user))


class ScopedModelLogEntry(ModelLogEntry):
    """Wagtail's log of changes to models (not pages), read through ``journey.scoping``.

    Registered in place of ``ModelLogEntry`` (``journey.wagtail_hooks``), so the site
    history report, its filters and each object's history ask the same question.
    """

    objects = ScopedLogEntryManager()

    class Meta:
        proxy = True
