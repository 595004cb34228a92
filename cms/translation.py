"""Page fields translated with wagtail-modeltranslation (title and slug are handled by it)."""

from modeltranslation.translator import TranslationOptions, register

from .models import EligibilityPage, HomePage, StandardPage


@register(HomePage)
class HomePageTranslationOptions(TranslationOptions):
    fields = ("intro", "body")


@register(EligibilityPage)
class EligibilityPageTranslationOptions(TranslationOptions):
    fields = ("intro", "help")


@register(StandardPage)
class StandardPageTranslationOptions(TranslationOptions):
    fields = ("body",)
