"""The eligibility questionnaire's steps: one small form each, with help on every question."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from journey.enquiries import ENQUIRY_COUNTRIES
from journey.form_errors import ExplainedErrorsMixin
from journey.models import Analytics, Experience, Launchpad, MarketOrientation, Sector, ShopPlatform, TurnoverBand

# The bot trap: a field people never see (hidden off-screen, skipped by the keyboard and screen readers).
HONEYPOT_FIELD = "comment"

PHONE_RE = re.compile(r"^\+?[0-9 ().\-/]{6,40}$")


def _required(message: Promise) -> dict:
    return {"required": message}


class StepForm(ExplainedErrorsMixin, forms.Form):
    """A questionnaire step: its fields, plus the bot trap (Django's own messages name their field too)."""

    comment = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def is_bot(self) -> bool:
        return bool(self.data.get(self.add_prefix(HONEYPOT_FIELD), "").strip())

    def visible_fields(self):
        return [field for field in super().visible_fields() if field.name != HONEYPOT_FIELD]

    def answers(self) -> dict:
        """The cleaned answers of this step, JSON-serialisable (kept in the session)."""
        return {name: value for name, value in self.cleaned_data.items() if name != HONEYPOT_FIELD}


class CompanyForm(StepForm):
    company_name = forms.CharField(
        label=_("Company name"),
        max_length=200,
        help_text=_("The name your customers know you by. Add the registered name in brackets if it differs."),
        error_messages={
            **_required(_("Please tell us your company's name.")),
            "max_length": _("Please shorten the company name to 200 characters at most."),
        },
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    website = forms.URLField(
        label=_("Website (optional)"),
        required=False,
        max_length=200,
        assume_scheme="https",
        help_text=_("Your shop or company website, for example www.example.com. Leave it empty if you have none."),
        error_messages={
            "invalid": _("Please enter a web address such as www.example.com."),
            "max_length": _("Please shorten the web address to 200 characters at most."),
        },
        widget=forms.TextInput(attrs={"autocomplete": "url", "inputmode": "url"}),
    )
    country = forms.ChoiceField(
        label=_("Country where the company is based"),
        choices=[("", _("Choose a country")), *ENQUIRY_COUNTRIES],
        help_text=_(
            "The country of your head office or main premises. The programme works with businesses based "
            "in the United Kingdom and France."
        ),
        error_messages={
            **_required(_("Please choose the country where your company is based.")),
            "invalid_choice": _("Please choose a country from the list, or “Another country”."),
        },
    )
    town = forms.CharField(
        label=_("Town or postcode"),
        max_length=120,
        help_text=_("Where your main premises are. It tells us which account manager is closest to you."),
        error_messages={
            **_required(_("Please tell us your town or postcode.")),
            "max_length": _("Please shorten the town or postcode to 120 characters at most."),
        },
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
    )


class SizeForm(StepForm):
    headcount = forms.IntegerField(
        label=_("Number of staff"),
        min_value=0,
        max_value=1_000_000,
        help_text=_(
            "Full-time equivalent, yourself included: two half-time employees count as one. "
            "Small and medium businesses have fewer than 250."
        ),
        error_messages={
            **_required(_("Please tell us how many people work in the company.")),
            "invalid": _("Please enter the number of staff as a whole number, for example 12."),
            "min_value": _("The number of staff cannot be negative."),
            "max_value": _("Please check the number of staff: it looks too large."),
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
    )
    turnover = forms.ChoiceField(
        label=_("Annual turnover"),
        choices=TurnoverBand.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Your last full year's sales, in pounds or euros. An estimate is fine. Small and medium businesses "
            "have a turnover of 50 million or less."
        ),
        error_messages={
            **_required(_("Please choose your annual turnover.")),
            "invalid_choice": _("Please choose one of the turnover bands."),
        },
    )


class BusinessForm(StepForm):
    sector = forms.ChoiceField(
        label=_("Sector"),
        choices=[("", _("Choose a sector")), *Sector.choices],
        help_text=_("The sector closest to what you sell. Choose “Other” if none fits."),
        error_messages={
            **_required(_("Please choose your sector.")),
            "invalid_choice": _("Please choose a sector from the list."),
        },
    )
    products = forms.CharField(
        label=_("What you sell"),
        min_length=10,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("In a sentence or two: your main products or services, for example “hand-knitted wool jumpers”."),
        error_messages={
            **_required(_("Please tell us what you sell.")),
            "min_length": _("Please tell us a little more about what you sell (at least 10 characters)."),
            "max_length": _("Please keep this under 2,000 characters."),
        },
    )
    market_orientation = forms.ChoiceField(
        label=_("Who do you sell to?"),
        choices=MarketOrientation.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Businesses (B2B: shops, trade buyers, companies), consumers (B2C: members of the public), or both."
        ),
        error_messages={
            **_required(_("Please tell us whether you sell to businesses, to consumers or to both.")),
            "invalid_choice": _("Please choose one of the options."),
        },
    )


class OnlineForm(StepForm):
    shop_platform = forms.ChoiceField(
        label=_("Online shop platform"),
        choices=ShopPlatform.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "The software your online shop runs on. The programme's tools connect to it to read your orders "
            "and products; not having a shop yet is fine."
        ),
        error_messages={
            **_required(_("Please tell us which platform your online shop uses, or that you have none yet.")),
            "invalid_choice": _("Please choose one of the options."),
        },
    )
    analytics = forms.ChoiceField(
        label=_("Web analytics"),
        choices=Analytics.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "A tool such as Google Analytics that counts visits to your website. E-commerce tracking means it "
            "also records what visitors look at and buy. “Not sure” is a fine answer."
        ),
        error_messages={
            **_required(_("Please tell us whether you use web analytics.")),
            "invalid_choice": _("Please choose one of the options."),
        },
    )
    experience = forms.ChoiceField(
        label=_("How long have you been selling online?"),
        choices=Experience.choices,
        widget=forms.RadioSelect,
        help_text=_("On your own shop or on marketplaces such as Amazon or Etsy. Beginners are welcome."),
        error_messages={
            **_required(_("Please tell us how long you have been selling online.")),
            "invalid_choice": _("Please choose one of the options."),
        },
    )


class GoalsForm(StepForm):
    goals = forms.CharField(
        label=_("What would you like the programme to help you achieve?"),
        min_length=10,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "For example: start selling to customers in France, grow online sales to trade buyers, "
            "understand which products to push. A few lines are enough."
        ),
        error_messages={
            **_required(_("Please tell us what you would like to achieve.")),
            "min_length": _("Please tell us a little more about your goals (at least 10 characters)."),
            "max_length": _("Please keep this under 2,000 characters."),
        },
    )


class ContactForm(StepForm):
    contact_name = forms.CharField(
        label=_("Your name"),
        max_length=150,
        help_text=_("The person the launchpad should contact about this enquiry."),
        error_messages={
            **_required(_("Please tell us your name.")),
            "max_length": _("Please shorten your name to 150 characters at most."),
        },
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    contact_job_title = forms.CharField(
        label=_("Your role (optional)"),
        max_length=150,
        required=False,
        help_text=_("For example: founder, managing director, e-commerce manager."),
        error_messages={"max_length": _("Please shorten your role to 150 characters at most.")},
        widget=forms.TextInput(attrs={"autocomplete": "organization-title"}),
    )
    contact_email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        help_text=_("We send a confirmation here, and your account manager writes to you here."),
        error_messages={
            **_required(_("Please give us an e-mail address so that we can reply.")),
            "invalid": _("Please enter an e-mail address such as name@example.com."),
            "max_length": _("Please shorten the e-mail address to 254 characters at most."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    contact_phone = forms.CharField(
        label=_("Phone (optional)"),
        max_length=40,
        required=False,
        help_text=_("With the country code if you like, for example +44 20 7946 0000 or +33 1 23 45 67 89."),
        error_messages={"max_length": _("Please shorten the phone number to 40 characters at most.")},
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    consent = forms.BooleanField(
        label=_("I agree to be contacted by the E-Channel programme about this enquiry."),
        help_text=_(
            "Your answers are seen only by the launchpad of your country and the programme's coordinators. "
            "The privacy notice says what we keep, why and for how long."
        ),
        error_messages=_required(_("Please agree to be contacted: without it we cannot reply to your enquiry.")),
    )

    def clean_contact_phone(self):
        phone = self.cleaned_data["contact_phone"].strip()
        if phone and (not PHONE_RE.match(phone) or sum(char.isdigit() for char in phone) < 6):
            raise forms.ValidationError(
                _("Please enter a phone number with digits, spaces and + only, for example +44 20 7946 0000."),
                code="invalid",
            )
        return phone

    def answers(self) -> dict:
        answers = super().answers()
        answers.pop("consent")
        return answers


@dataclass(frozen=True)
class Step:
    """One step of the questionnaire: its address (``?step=``), heading, short description and form."""

    slug: str
    title: Promise
    description: Promise
    form_class: type[StepForm]


STEPS = [
    Step(
        "company",
        _("Your company"),
        _("Who you are and where you are based."),
        CompanyForm,
    ),
    Step(
        "size",
        _("Size"),
        _("The programme is for small and medium businesses: these two answers tell us if yours is one."),
        SizeForm,
    ),
    Step(
        "business",
        _("What you sell"),
        _("Your products and your customers."),
        BusinessForm,
    ),
    Step(
        "online",
        _("Selling online"),
        _("Where you sell online today and what you measure. There are no wrong answers: we start from where you are."),
        OnlineForm,
    ),
    Step(
        "goals",
        _("Your goals"),
        _("What you hope a new market will bring you."),
        GoalsForm,
    ),
    Step(
        "contact",
        _("Contact"),
        _("Who we should talk to, and your agreement to be contacted."),
        ContactForm,
    ),
]
STEPS_BY_SLUG = {step.slug: step for step in STEPS}
REVIEW = "review"
THANKS = "thanks"


# --- the contact page -------------------------------------------------------------------------------


class ContactMessageForm(StepForm):
    """The contact page's form (with the questionnaire's bot trap)."""

    launchpad = forms.ModelChoiceField(
        label=_("Which launchpad should answer you?"),
        queryset=Launchpad.objects.order_by("code"),
        widget=forms.RadioSelect,
        empty_label=None,
        help_text=_("The launchpad of your country: the United Kingdom or France."),
        error_messages={
            **_required(_("Please choose the launchpad that should answer you.")),
            "invalid_choice": _("Please choose one of the launchpads in the list."),
        },
    )
    name = forms.CharField(
        label=_("Your name"),
        max_length=120,
        help_text=_("So that we know how to address you."),
        error_messages={
            **_required(_("Please tell us your name.")),
            "max_length": _("Please shorten your name to 120 characters at most."),
        },
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=254,
        help_text=_("We answer by e-mail, to this address only."),
        error_messages={
            **_required(_("Please give us your e-mail address so that we can answer you.")),
            "invalid": _("Please enter an e-mail address such as name@example.com."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    organisation = forms.CharField(
        label=_("Company or organisation (optional)"),
        max_length=200,
        required=False,
        help_text=_("If you write on behalf of a business or a support organisation."),
        error_messages={"max_length": _("Please shorten the organisation's name to 200 characters at most.")},
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    message = forms.CharField(
        label=_("Your message"),
        min_length=10,
        max_length=3000,
        help_text=_("Your question in a few sentences, in English or French."),
        error_messages={
            **_required(_("Please write your message.")),
            "min_length": _("Please write a little more: your message is very short."),
            "max_length": _("Please shorten your message to 3,000 characters at most."),
        },
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    consent = forms.BooleanField(
        label=_("I agree that E-Channel keeps my message and details to answer me."),
        help_text=_("They are sent to the launchpad you chose and to nobody else."),
        error_messages=_required(_("Please agree that we keep your message, or we cannot answer it.")),
    )
