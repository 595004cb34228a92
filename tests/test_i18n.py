"""Bilingual from the first page: the French catalogue, locale formats, language choice."""

import re
import shutil
import subprocess
import sys
from datetime import date
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.core import mail
from django.template import Context, Template
from django.utils import formats, translation
from wagtail.users.models import UserProfile

from journey.formatting import format_money
from tests.journey.factories import PASSWORD, SMEUserFactory

ROOT = Path(__file__).resolve().parent.parent
FRENCH_PO = ROOT / "locale" / "fr" / "LC_MESSAGES" / "django.po"
SOURCES = [
    "config",
    "journey",
    "connectors",
    "toolkit",
    "coaching",
    "learning",
    "cms",
    "reporting",
    "privacy",
    "templates",
    "manage.py",
]


def _problems(po_path: Path) -> list[str]:
    with po_path.open("rb") as handle:
        catalogue = read_po(handle, locale="fr")
    problems = []
    for message in catalogue:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy:
            problems.append(f"fuzzy: {message.id!r}")
        elif not all(strings):
            problems.append(f"untranslated: {message.id!r}")
    return problems


def test_french_catalogue_has_no_untranslated_or_fuzzy_entry():
    assert _problems(FRENCH_PO) == []


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="xgettext (gettext) not installed: cannot re-extract")
def test_french_catalogue_covers_every_string_in_the_sources(tmp_path):
    """Re-extract the strings from a copy of the sources: a new, untranslated string fails here."""
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
        else:
            shutil.copy(source, tmp_path / name)
    shutil.copytree(ROOT / "locale", tmp_path / "locale", ignore=shutil.ignore_patterns("*.mo"))
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "fr", "--no-obsolete"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "config.settings.test"},
    )
    assert _problems(tmp_path / "locale" / "fr" / "LC_MESSAGES" / "django.po") == []


@pytest.mark.parametrize(
    ("language", "currency", "expected"),
    [
        ("fr", "EUR", "1\u202f234,56\xa0€"),
        ("en", "GBP", "£1,234.56"),
        ("en", "EUR", "€1,234.56"),
        # CLDR writes "£GB" in French; the programme has only one pound (journey.formatting.SYMBOLS).
        ("fr", "GBP", "1\u202f234,56\xa0£"),
        ("fr", "USD", "1\u202f234,56\xa0$US"),
    ],
)
def test_money_follows_the_readers_locale(language, currency, expected):
    assert format_money(Decimal("-5"), "GBP", language="fr") == "-5,00\xa0£"
    assert format_money(Decimal("1234.56"), currency, language=language) == expected
    with translation.override(language):
        rendered = Template("{% load echannel %}{{ amount|money:currency }}").render(
            Context({"amount": Decimal("1234.56"), "currency": currency})
        )
    assert rendered == expected


@pytest.mark.parametrize(
    ("language", "number", "day"),
    [("fr", "1\xa0234,56", "23/11/2026"), ("en", "1,234.56", "23/11/2026")],
)
def test_numbers_and_dates_follow_the_readers_locale(language, number, day):
    with translation.override(language):
        assert formats.number_format(Decimal("1234.56"), 2, use_l10n=True, force_grouping=True) == number
        assert formats.date_format(date(2026, 11, 23), "SHORT_DATE_FORMAT") == day


@pytest.mark.django_db
def test_pages_speak_the_language_of_their_prefix(client):
    french = client.get("/fr/accounts/login/").content.decode()
    english = client.get("/en/accounts/login/").content.decode()
    assert "Mot de passe oublié ?" in french
    assert "Forgotten your password?" in english


@pytest.mark.django_db
def test_language_switch_keeps_the_page_and_remembers_the_choice(client):
    user = SMEUserFactory(preferred_language="en")
    client.force_login(user)
    page = f"/en/portal/smes/{user.sme.slug}/"
    response = client.post("/i18n/setlang/", {"language": "fr", "next": page})
    assert response.status_code == 302
    assert response["Location"] == f"/fr/portal/smes/{user.sme.slug}/"
    user.refresh_from_db()
    assert user.preferred_language == "fr"
    assert UserProfile.get_for_user(user).preferred_language == "fr"  # the Wagtail admin follows


@pytest.mark.django_db
def test_language_switch_works_when_the_page_differs_from_the_saved_choice(client):
    """Anne, saved in French, reads an /en/ page and asks for French: she lands on the French page."""
    user = SMEUserFactory(preferred_language="fr")
    client.force_login(user)
    client.cookies["django_language"] = "fr"
    page = f"/en/portal/smes/{user.sme.slug}/"
    response = client.post("/i18n/setlang/", {"language": "fr", "next": page})
    assert response.status_code == 302
    assert response["Location"] == f"/fr/portal/smes/{user.sme.slug}/"
    # And the other way round: saved English, on a French page, asking for English.
    client.cookies["django_language"] = "en"
    response = client.post("/i18n/setlang/", {"language": "en", "next": f"/fr/portal/smes/{user.sme.slug}/?tab=2"})
    assert response["Location"] == f"/en/portal/smes/{user.sme.slug}/?tab=2"
    user.refresh_from_db()
    assert user.preferred_language == "en"


@pytest.mark.django_db
def test_sign_in_continues_in_the_remembered_language(client):
    user = SMEUserFactory(preferred_language="fr", email="owner@company.test")
    response = client.post("/en/accounts/login/", {"username": "Owner@Company.test", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/fr/portal/"
    assert response.cookies["django_language"].value == "fr"
    assert client.get("/fr/portal/", follow=True).redirect_chain[-1][0] == f"/fr/portal/smes/{user.sme.slug}/"


@pytest.mark.django_db
def test_first_sign_in_remembers_the_language_it_was_made_in(client):
    user = SMEUserFactory(preferred_language="")
    client.post("/fr/accounts/login/", {"username": user.email, "password": PASSWORD})
    user.refresh_from_db()
    assert user.preferred_language == "fr"


@pytest.mark.django_db
def test_wrong_password_is_explained_in_the_readers_language(client):
    SMEUserFactory(email="owner@company.test")
    response = client.post("/fr/accounts/login/", {"username": "owner@company.test", "password": "nope"})
    assert response.status_code == 200
    assert "ne correspondent à aucun compte" in response.content.decode()


# Serialized rollback, as every transactional test here: a plain flush re-creates the content types
# with new ids, and the browser tests that run after it then collide with them on PostgreSQL.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_password_reset_email_is_written_in_the_users_language(client):
    SMEUserFactory(email="owner@company.test", preferred_language="fr")
    response = client.post("/en/accounts/password-reset/", {"email": "owner@company.test"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Choisissez un nouveau mot de passe E-Channel"
    assert "/fr/accounts/password-reset/" in message.body
    assert message.to == ["owner@company.test"]


# French typography: a non-breaking space (U+00A0; U+202F accepted) before : ; ? ! and inside « »
# (docs/decisions/0017-french-typography.md). A sign is punctuation when it ends the text or is followed by a space,
# a line break, a closing guillemet or bracket: "https://", "10:30", "?next=" and "&amp;" are not.
SIGN = re.compile(r"(?<=.)(?<!&amp)(?<!&nbsp)[:;?!](?=$|[\s»)]|[:;?!])", re.S)


def _typography_problems(po_path: Path) -> list[str]:
    with po_path.open("rb") as handle:
        catalogue = read_po(handle, locale="fr")
    problems = []
    for message in catalogue:
        if not message.id:
            continue
        for text in message.string if isinstance(message.string, tuple) else (message.string,):
            for match in SIGN.finditer(text):
                if text[match.start() - 1] not in "\u00a0\u202f:;?!":
                    problems.append(f"{text[max(0, match.start() - 30) : match.end()]!r}")
            if re.search(r"«(?!\u00a0)|(?<!\u00a0)»", text):
                problems.append(f"guillemets: {text!r}")
    return problems


def test_french_translations_put_a_non_breaking_space_before_high_punctuation():
    assert _typography_problems(FRENCH_PO) == []


def test_the_typography_check_and_its_command_fix_what_is_wrong_and_only_that(tmp_path):
    from django.core.management import CommandError, call_command

    wrong = {
        "Name: %(name)s": "Nom : %(name)s",  # an ordinary space
        "Why?": "Pourquoi?",  # no space at all
        "Really!": "Vraiment !",
        "Say “yes”": "Dites « oui »",
        "First; then": "D'abord ; ensuite",
    }
    right = {
        "See https://example.org/?next=/fr/ at 10:30": "Voir https://example.org/?next=/fr/ à 10:30",
        "Fish &amp; chips": "Poisson &amp; frites",
        "What?!": "Quoi\u00a0?!",
        "Score: %(score)s%%": "Score\u00a0: %(score)s\u00a0%%",
    }
    po = tmp_path / "django.po"
    entries = "".join(f'\nmsgid "{source}"\nmsgstr "{french}"\n' for source, french in {**wrong, **right}.items())
    po.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n' + entries, encoding="utf-8")
    assert len(_typography_problems(po)) == len(wrong)
    with pytest.raises(CommandError, match="5 French translation"):
        call_command("french_typography", "--check", "--path", str(po), stdout=StringIO())
    call_command("french_typography", "--path", str(po), stdout=StringIO())
    fixed = po.read_text(encoding="utf-8")
    assert _typography_problems(po) == []
    assert 'msgstr "Pourquoi\u00a0?"' in fixed and 'msgstr "Dites «\u00a0oui\u00a0»"' in fixed
    assert "https://example.org/?next=/fr/ à 10:30" in fixed and "Poisson &amp; frites" in fixed
    assert '"Content-Type: text/plain; charset=UTF-8\\n"' in fixed  # the header is not French text
    call_command("french_typography", "--check", "--path", str(po), stdout=StringIO())  # re-runnable: now clean


@pytest.mark.django_db
def test_admin_listings_name_a_record_with_the_readers_colon_and_month():
    """A record's name in Wagtail's listings ("SME: what") follows French typography and writes the month out."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    from tests.coaching.factories import ContactFactory

    contact = ContactFactory(
        sme__name="Savons d’Arles", happened_at=dt.datetime(2026, 3, 4, 10, tzinfo=ZoneInfo("UTC"))
    )
    with translation.override("fr"):
        assert str(contact).startswith("Savons d’Arles\u00a0: ") and "4 mars 2026" in str(contact)
    with translation.override("en"):
        assert str(contact).startswith("Savons d’Arles: ") and "4 March 2026" in str(contact)
