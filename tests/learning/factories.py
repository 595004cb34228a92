"""Factories for the learning app: badge classes and their criteria; quiz questions as StreamField blocks."""

import factory
from factory.django import DjangoModelFactory

from learning.models import BadgeClass, Criterion, CriterionKind


class BadgeClassFactory(DjangoModelFactory):
    """The stock course's badge, in both languages (``slug``, names and ``opens_tool`` vary)."""

    class Meta:
        model = BadgeClass

    slug = "stock-basics"
    name_en = "Stock basics"
    name_fr = "Bases du stock"
    description_en = "Knows how to keep a clean catalogue."
    description_fr = "Sait tenir un catalogue propre."
    criteria_text_en = "Completed the stock course."
    criteria_text_fr = "A suivi la formation sur le stock."


class CriterionFactory(DjangoModelFactory):
    class Meta:
        model = Criterion

    badge_class = factory.SubFactory(BadgeClassFactory)
    kind = CriterionKind.COURSE_COMPLETED


def question(prompt, choices, right, *, multiple=False, explanation="Because."):
    """A quiz question block: ``right`` holds the indexes of the correct ``choices``."""
    return (
        "question",
        {
            "prompt": prompt,
            "multiple": multiple,
            "choices": [{"text": text, "correct": index in right} for index, text in enumerate(choices)],
            "explanation": explanation,
        },
    )
