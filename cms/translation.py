"""Fields translated with (wagtail-)modeltranslation: pages' own fields (title, SEO title and search
description are handled by wagtail-modeltranslation) and the resources' title and description."""

from modeltranslation.translator import TranslationOptions, register

from .models import (
    ContactPage,
    EligibilityPage,
    GuideIndexPage,
    GuidePage,
    HomePage,
    NewsIndexPage,
    NewsPage,
    Resource,
    ResourceIndexPage,
    StandardPage,
)


@register(HomePage)
class HomePageTranslationOptions(TranslationOptions):
    fields = ("intro", "body")


@register(EligibilityPage)
class EligibilityPageTranslationOptions(TranslationOptions):
    fields = ("intro", "help")


@register(StandardPage)
class StandardPageTranslationOptions(TranslationOptions):
    fields = ("body",)


@register(GuideIndexPage)
class GuideIndexPageTranslationOptions(TranslationOptions):
    fields = ("intro",)


@register(GuidePage)
class GuidePageTranslationOptions(TranslationOptions):
    fields = ("summary", "body")


@register(ResourceIndexPage)
class ResourceIndexPageTranslationOptions(TranslationOptions):
    fields = ("intro",)


@register(Resource)
class ResourceTranslationOptions(TranslationOptions):
    fields = ("title", "description")


@register(NewsIndexPage)
class NewsIndexPageTranslationOptions(TranslationOptions):
    fields = ("intro",)


@register(NewsPage)
class NewsPageTranslationOptions(TranslationOptions):
    fields = ("summary", "body")


@register(ContactPage)
class ContactPageTranslationOptions(TranslationOptions):
    fields = ("intro", "thank_you")
