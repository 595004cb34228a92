"""Whole-phrase labels for the Wagtail admin's "Add …" button and "New …" breadcrumb.

Wagtail builds them by slotting the model's ``verbose_name`` into one phrase for every model:
``_("Add %(model_name)s")`` and ``_("New: %(model_name)s")``. French needs the noun's gender there, so
Wagtail's French catalogue hedges: "Ajouter un(e) PME", "Nouvel(le) : PME". A viewset that mixes this in
gives each model its own translated phrases (``add_item_label = _("Add an SME")`` → "Ajouter une PME",
``new_item_label = _("New SME")`` → "Nouvelle PME"), which Wagtail's views then use instead.
"""

from __future__ import annotations

from functools import cached_property

from django.utils.text import capfirst


class _NamedCreateMixin:
    new_item_label = None

    def get_page_title(self):
        return self.new_item_label or super().get_page_title()

    def get_breadcrumbs_items(self):
        items = super().get_breadcrumbs_items()
        if self.new_item_label and items:
            items = [*items[:-1], {**items[-1], "label": capfirst(self.new_item_label)}]
        return items


class NamedAddLabelsMixin:
    """Put first in a Wagtail ``ModelViewSet`` or ``SnippetViewSet``'s bases; set the two phrases."""

    add_item_label = None  # e.g. _("Add an SME")
    new_item_label = None  # e.g. _("New SME")

    def get_index_view_kwargs(self, **kwargs):
        view_kwargs = super().get_index_view_kwargs(**kwargs)
        if self.add_item_label:
            view_kwargs["add_item_label"] = self.add_item_label
        return view_kwargs

    @cached_property
    def add_view_class(self):
        base = super().add_view_class
        return type(f"Named{base.__name__}", (_NamedCreateMixin, base), {"new_item_label": self.new_item_label})
