"""Writes of the journey app: people, languages and the demo's building blocks."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from wagtail.users.models import UserProfile

from .models import SME, ScreeningChecklist, User


def user_set_preferred_language(*, user: User, language: str) -> User:
    """Remember the user's language for the site, the Wagtail admin and the e-mails they get."""
    if language not in dict(settings.LANGUAGES):
        raise ValueError(f"Unknown language: {language!r}")
    with transaction.atomic():
        if user.preferred_language != language:
            user.preferred_language = language
            user.save(update_fields=["preferred_language"])
        profile = UserProfile.get_for_user(user)
        if profile.preferred_language != language:
            profile.preferred_language = language
            profile.save(update_fields=["preferred_language"])
    return user


def screening_update(*, sme: SME, answers: dict, by: User) -> ScreeningChecklist:
    """Save the SME's screening checklist (any subset of the criteria and the notes)."""
    checklist, _ = ScreeningChecklist.objects.get_or_create(sme=sme)
    for name in [*ScreeningChecklist.CRITERIA, "notes"]:
        if name in answers:
            setattr(checklist, name, answers[name] or "")
    checklist.updated_by = by
    checklist.save()
    return checklist
