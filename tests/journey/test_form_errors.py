"""Error messages name their field and say what to do, in the page's language (journey.form_errors)."""

from __future__ import annotations

import pytest
from django import forms
from django.utils import translation

from coaching.forms import ContactForm
from journey.form_errors import ExplainedErrorsMixin


class _Sample(ExplainedErrorsMixin, forms.Form):
    title = forms.CharField(label="Title", max_length=5)
    quantity = forms.IntegerField(label="Quantity", min_value=1)
    day = forms.DateField(label="Day")
    kind = forms.ChoiceField(label="Kind", choices=[("a", "A")])
    agree = forms.BooleanField(label="I agree")
    note = forms.CharField(label="Note", required=False, error_messages={"max_length": "Keep it short."}, max_length=3)


def _errors(data: dict, language: str) -> dict:
    with translation.override(language):
        form = _Sample(data)
        assert not form.is_valid()
        return {name: [str(message) for message in messages] for name, messages in form.errors.items()}


def test_every_required_error_names_its_field_and_says_what_to_do():
    errors = _errors({}, "en")
    assert errors["title"] == ["Title: this is needed, please fill it in."]
    assert errors["kind"] == ["Kind: choose one of the options."]
    assert errors["agree"] == ["I agree: tick this box to go on."]
    assert all("This field is required" not in message for messages in errors.values() for message in messages)


def test_limits_and_formats_are_explained_with_their_numbers():
    errors = _errors({"title": "Too long", "quantity": "0", "day": "yesterday", "kind": "z", "note": "abcd"}, "en")
    assert errors["title"] == ["Title: shorten it to 5 characters at most (it has 8)."]
    assert errors["quantity"] == ["Quantity: give a value of 1 or more."]
    assert errors["day"][0].startswith("Day: enter a date, for example 14/03/2027")
    assert errors["kind"] == ["Kind: choose one of the options in the list."]
    # A message the form chose itself is kept.
    assert errors["note"] == ["Keep it short."]


def test_messages_are_in_the_page_language_with_french_typography():
    errors = _errors({"quantity": "douze", "day": "hier"}, "fr")
    assert errors["title"] == ["Title : ce renseignement est nécessaire, veuillez le remplir."]
    assert errors["quantity"] == ["Quantity : saisissez un nombre entier, par exemple 12."]
    assert errors["day"][0].startswith("Day : saisissez une date, par exemple 14/03/2027")
    assert all("Ce champ est obligatoire" not in message for messages in errors.values() for message in messages)


@pytest.mark.django_db
def test_the_coaching_contact_form_names_its_fields_in_french():
    with translation.override("fr"):
        form = ContactForm({"happened_at": "", "channel": "", "summary": ""})
        assert not form.is_valid()
        assert str(form.errors["summary"][0]) == "Résumé : ce renseignement est nécessaire, veuillez le remplir."
        assert str(form.errors["channel"][0]).startswith("Canal : choisissez")
