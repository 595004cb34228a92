"""Content translated with django-modeltranslation (one column per language)."""

from modeltranslation.translator import TranslationOptions, register

from .models import Launchpad, Programme


@register(Programme)
class ProgrammeTranslationOptions(TranslationOptions):
    fields = ("name",)


@register(Launchpad)
class LaunchpadTranslationOptions(TranslationOptions):
    fields = ("name",)
