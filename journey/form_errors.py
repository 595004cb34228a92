"""Error messages that name their field and say what to do, in the reader's language.

Django's own messages ("This field is required.", "Enter a number.") do not say which field they are
about: in an error summary at the top of a form, or read out by a screen reader, they are useless.
``ExplainedErrorsMixin`` replaces each of Django's default messages of a form's fields by one that starts
with the field's label ("Date and time: enter a date and time, for example 14/03/2027 10:30."), the shape
the hand-written messages of the questionnaire and the session form already have. A message a form or a
field sets itself is kept: only Django's defaults are replaced.

The messages are built when the form is created, in the language of the request that creates it.
"""

from __future__ import annotations

import datetime

from django import forms
from django.utils import formats
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext


class _Counted:
    """A message with a plural, chosen when Django fills in its number (``message % params``)."""

    def __init__(self, choose, key: str, label: str):
        self.choose, self.key, self.label = choose, key, label  # choose(number) -> the ngettext'd message

    def _text(self, number) -> str:
        return self.choose(number).replace("%(field)s", self.label)

    def __mod__(self, params):
        return self._text(params[self.key]) % params

    def __str__(self):
        return self._text(2)


def _defaults(field: forms.Field) -> dict:
    """Django's default messages for this field's class (and its parents), as the field started with."""
    messages = {}
    for cls in reversed(type(field).__mro__):
        messages.update(getattr(cls, "default_error_messages", {}))
    return messages


def _example_date() -> str:
    return formats.date_format(datetime.date(2027, 3, 14), "SHORT_DATE_FORMAT")


def _example_datetime() -> str:
    return formats.date_format(datetime.datetime(2027, 3, 14, 10, 30), "SHORT_DATETIME_FORMAT")


def _explained(field: forms.Field, label: str) -> dict:
    """The explained messages for this kind of field, by Django's error code."""

    def text(message: str) -> str:
        return message.replace("%(field)s", label)

    if isinstance(field, forms.BooleanField):
        required = gettext("%(field)s: tick this box to go on.")
    elif isinstance(field, forms.FileField):
        required = gettext("%(field)s: choose a file to send.")
    elif isinstance(field, (forms.ChoiceField, forms.ModelChoiceField, forms.ModelMultipleChoiceField)):
        required = gettext("%(field)s: choose one of the options.")
    else:
        required = gettext("%(field)s: this is needed, please fill it in.")
    messages = {
        "required": text(required),
        "invalid_choice": text(gettext("%(field)s: choose one of the options in the list.")),
        "invalid_list": text(gettext("%(field)s: choose one or more of the options in the list.")),
        "max_length": _Counted(
            lambda number: ngettext(
                "%(field)s: shorten it to %(limit_value)d character at most (it has %(show_value)d).",
                "%(field)s: shorten it to %(limit_value)d characters at most (it has %(show_value)d).",
                number,
            ),
            "limit_value",
            label,
        ),
        "min_length": _Counted(
            lambda number: ngettext(
                "%(field)s: write at least %(limit_value)d character (it has %(show_value)d).",
                "%(field)s: write at least %(limit_value)d characters (it has %(show_value)d).",
                number,
            ),
            "limit_value",
            label,
        ),
        "max_value": text(gettext("%(field)s: give a value of %(limit_value)s or less.")),
        "min_value": text(gettext("%(field)s: give a value of %(limit_value)s or more.")),
        "empty": text(gettext("%(field)s: this file is empty; choose another one.")),
    }
    if isinstance(field, forms.DateTimeField):
        invalid = gettext("%(field)s: enter a date and time, for example %(example)s.").replace(
            "%(example)s", _example_datetime()
        )
    elif isinstance(field, forms.DateField):
        invalid = gettext("%(field)s: enter a date, for example %(example)s.").replace("%(example)s", _example_date())
    elif isinstance(field, forms.IntegerField):
        invalid = gettext("%(field)s: enter a whole number, for example 12.")
    elif isinstance(field, (forms.DecimalField, forms.FloatField)):
        invalid = gettext("%(field)s: enter a number, for example %(example)s.").replace(
            "%(example)s", formats.number_format(12.5, 1)
        )
    elif isinstance(field, forms.EmailField):
        invalid = gettext("%(field)s: enter an e-mail address such as name@example.com.")
    elif isinstance(field, forms.URLField):
        invalid = gettext("%(field)s: enter a web address such as https://www.example.com.")
    elif isinstance(field, forms.FileField):
        invalid = gettext("%(field)s: this is not a file; choose one from your computer.")
    else:
        invalid = gettext("%(field)s: this value is not valid; check it and try again.")
    messages["invalid"] = text(invalid)
    return messages


def explain_errors(form: forms.BaseForm) -> None:
    """Give every field of ``form`` messages that name it, wherever it still has Django's default one."""
    for name, field in form.fields.items():
        label = str(capfirst(field.label or forms.forms.pretty_name(name))).rstrip(" :?")
        defaults = _defaults(field)
        explained = _explained(field, label)
        for code, message in explained.items():
            current = field.error_messages.get(code)
            # Absent: a validator's code (max_length, min_value…), whose message the field may override.
            if current is None or (code in defaults and str(current) == str(defaults[code])):
                field.error_messages[code] = message


class ExplainedErrorsMixin:
    """Put first in a form's bases: its fields' default error messages name the field and say what to do."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        explain_errors(self)
