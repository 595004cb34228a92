"""Review and lessons text translated with django-modeltranslation (one column per language)."""

from modeltranslation.translator import TranslationOptions, register

from .models import LaunchpadOperations, Lesson, QuarterlyReview


@register(QuarterlyReview)
class QuarterlyReviewTranslationOptions(TranslationOptions):
    fields = ("challenges", "exchange", "correction")


@register(LaunchpadOperations)
class LaunchpadOperationsTranslationOptions(TranslationOptions):
    fields = ("text",)


@register(Lesson)
class LessonTranslationOptions(TranslationOptions):
    fields = ("text", "follow_up")
