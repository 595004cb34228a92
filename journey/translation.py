"""Content translated with django-modeltranslation (one column per language)."""

from modeltranslation.translator import TranslationOptions, register

from .models import Launchpad, LaunchpadOperations, Lesson, Programme, QuarterlyReview


@register(Programme)
class ProgrammeTranslationOptions(TranslationOptions):
    fields = ("name",)


@register(Launchpad)
class LaunchpadTranslationOptions(TranslationOptions):
    fields = ("name",)


@register(QuarterlyReview)
class QuarterlyReviewTranslationOptions(TranslationOptions):
    fields = ("challenges", "exchange", "correction")


@register(LaunchpadOperations)
class LaunchpadOperationsTranslationOptions(TranslationOptions):
    fields = ("text",)


@register(Lesson)
class LessonTranslationOptions(TranslationOptions):
    fields = ("text", "follow_up")
