"""Content translated with (wagtail-)modeltranslation: one column per language, English the fallback.

Pages get ``title``, ``slug`` and the SEO fields translated by wagtail-modeltranslation
itself; these are their own content fields. Quiz questions are translated as a whole
stream, so both languages keep the same questions in the same order (attempts are
scored in the language they were shown in).
"""

from modeltranslation.translator import TranslationOptions, register

from .models import BadgeClass, CourseIndexPage, CoursePage, LessonPage, QuizPage


@register(CourseIndexPage)
class CourseIndexPageTranslationOptions(TranslationOptions):
    fields = ("intro",)


@register(CoursePage)
class CoursePageTranslationOptions(TranslationOptions):
    fields = ("summary",)


@register(LessonPage)
class LessonPageTranslationOptions(TranslationOptions):
    fields = ("body",)


@register(QuizPage)
class QuizPageTranslationOptions(TranslationOptions):
    fields = ("intro", "questions")


@register(BadgeClass)
class BadgeClassTranslationOptions(TranslationOptions):
    fields = ("name", "description", "criteria_text")
