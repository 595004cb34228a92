"""The public eligibility questionnaire, through the test client: steps, errors, bot trap, rate limit."""

import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.utils.html import escape

from cms.forms import HONEYPOT_FIELD
from cms.forms import STEPS as FORM_STEPS
from cms.models import EligibilityPage, StandardPage
from journey.models import SME, Enquiry
from tests.journey.factories import LaunchpadFactory

pytestmark = pytest.mark.django_db

# What a visitor types, step by step (as posted by the browser).
STEPS = {
    "company": {
        "company_name": "Biscuiterie de la Baie",
        "website": "www.biscuiterie-baie.test",
        "country": "FR",
        "town": "Saint-Malo",
    },
    "size": {"headcount": "14", "turnover": "100k_2m"},
    "business": {
        "sector": "food_drink",
        "products": "Galettes et biscuits au beurre salé.",
        "market_orientation": "both",
    },
    "online": {"shop_platform": "prestashop", "analytics": "ecommerce", "experience": "some"},
    "goals": {"goals": "Vendre nos biscuits aux épiceries fines britanniques."},
    "contact": {
        "contact_name": "Anne Le Gall",
        "contact_job_title": "Gérante",
        "contact_email": "anne@biscuiterie-baie.test",
        "contact_phone": "+33 2 99 00 00 00",
        "consent": "on",
    },
}
ORDER = list(STEPS)


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def site(home_page):
    return {"uk": LaunchpadFactory(), "fr": LaunchpadFactory(france=True)}


def shows(html: str, text: str) -> bool:
    """The text is on the page: as written in a template, or escaped as Django renders a form's labels and errors."""
    return text in html or escape(text) in html


def url(language: str, step: str | None = None) -> str:
    return f"/{language}/eligibility/" + (f"?step={step}" if step else "")


def post_step(client, language, step, data, action="next", **extra):
    return client.post(url(language), {"step": step, "action": action, **data}, **extra)


def walk(client, language, steps=None, **extra):
    """Answer every step with Next; returns the review page."""
    steps = steps or STEPS
    for index, step in enumerate(ORDER):
        response = post_step(client, language, step, steps[step], **extra)
        following = ORDER[index + 1] if index + 1 < len(ORDER) else "review"
        assert response.status_code == 302, response.content.decode()[:2000]
        assert response["Location"] == url(language, following)
    return client.get(url(language, "review"))


def submit(client, language, **extra):
    return client.post(url(language), {"step": "review", "action": "submit"}, **extra)


# --- the pages -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "title", "first_question"),
    [("en", "Check your eligibility", "Company name"), ("fr", "Vérifiez votre éligibilité", "Nom de l'entreprise")],
)
def test_the_questionnaire_is_served_in_each_language(client, home_page, language, title, first_question):
    response = client.get(url(language))
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{language}">' in html
    assert title in html
    assert shows(html, first_question)
    assert EligibilityPage.objects.get().get_parent().specific == home_page


def test_every_question_has_help(client, home_page):
    for step in FORM_STEPS:
        for name, field in step.form_class.base_fields.items():
            if name != HONEYPOT_FIELD:
                assert field.help_text, f"{step.slug}.{name} has no help text"


@pytest.mark.parametrize(
    ("language", "label"), [("en", "Check your eligibility"), ("fr", "Vérifiez votre éligibilité")]
)
def test_the_home_page_calls_visitors_to_the_questionnaire(client, home_page, language, label):
    html = client.get(f"/{language}/").content.decode()
    assert f'href="/{language}/eligibility/" data-testid="eligibility-cta">{label}' in html


@pytest.mark.parametrize(("language", "title"), [("en", "Privacy notice"), ("fr", "Politique de confidentialité")])
def test_the_privacy_notice_is_linked_from_every_page_and_from_the_consent(client, home_page, language, title):
    privacy = client.get(f"/{language}/privacy/")
    assert privacy.status_code == 200
    assert title in privacy.content.decode()
    assert StandardPage.objects.get().slug == "privacy"
    for page in (f"/{language}/", f"/{language}/accounts/login/", url(language)):
        assert f'href="/{language}/privacy/" data-testid="footer-privacy"' in client.get(page).content.decode()
    for step in ORDER[:-1]:
        post_step(client, language, step, STEPS[step])
    contact = client.get(url(language, "contact")).content.decode()
    assert f'href="/{language}/privacy/" target="_blank" rel="noopener" data-testid="privacy-link"' in contact


# --- a whole submission ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "review_text", "thanks_text", "subject"),
    [
        ("en", "Send my answers", "An account manager from the launchpad in your country", "E-Channel enquiry"),
        ("fr", "Envoyer mes réponses", "Un gestionnaire de compte de la rampe de lancement", "demande E-Channel"),
    ],
)
def test_a_visitor_walks_every_step_and_registers_an_enquiry(
    client, site, django_capture_on_commit_callbacks, language, review_text, thanks_text, subject
):
    assert client.get(url(language)).status_code == 200
    review = walk(client, language)
    html = review.content.decode()
    assert review.status_code == 200
    assert review_text in html
    assert "Biscuiterie de la Baie" in html and "PrestaShop" in html

    with django_capture_on_commit_callbacks(execute=True):
        response = submit(client, language)
    assert response.status_code == 302
    assert response["Location"] == url(language, "thanks")

    enquiry = Enquiry.objects.get()
    assert enquiry.language == language
    assert enquiry.company_name == "Biscuiterie de la Baie"
    assert enquiry.website == "https://www.biscuiterie-baie.test"
    assert enquiry.headcount == 14
    assert enquiry.eligibility_flags == []
    sme = SME.objects.get()
    assert sme.launchpad == site["fr"] and sme.stage == "enquiry" and enquiry.sme == sme
    assert sme.contacts.get().is_primary
    assert len(mail.outbox) == 1 and subject in mail.outbox[0].subject

    thanks = client.get(response["Location"])
    assert thanks.status_code == 200
    text = thanks.content.decode()
    assert shows(text, thanks_text)
    assert "anne@biscuiterie-baie.test" in text
    # The answers are gone from the session: the questionnaire starts afresh.
    assert client.get(url(language, "review"))["Location"] == url(language, "company")


@pytest.mark.parametrize(
    ("language", "country", "headcount", "turnover", "testid", "text"),
    [
        ("en", "BE", "14", "100k_2m", "outside-area", "can only work with businesses based in the United Kingdom"),
        ("fr", "XX", "14", "100k_2m", "outside-area", "ne peut travailler qu'avec des entreprises installées"),
        ("en", "GB", "300", "10m_50m", "not-sme", "Your company may be too large for the programme"),
        ("fr", "FR", "20", "over_50m", "not-sme", "Votre entreprise est peut-être trop grande pour le programme"),
    ],
)
def test_obvious_ineligibility_is_explained_on_the_spot_and_recorded(
    client, site, language, country, headcount, turnover, testid, text
):
    steps = {**STEPS, "company": {**STEPS["company"], "country": country}}
    steps["size"] = {"headcount": headcount, "turnover": turnover}
    walk(client, language, steps)
    submit(client, language)

    thanks = client.get(url(language, "thanks")).content.decode()
    assert f'data-testid="{testid}"' in thanks
    assert shows(thanks, text)
    enquiry = Enquiry.objects.get()
    assert enquiry.eligibility_flags == [testid.replace("-", "_")]
    assert (enquiry.sme is None) == (testid == "outside-area")


def test_a_second_submission_from_the_same_company_changes_nothing_and_is_thanked_alike(
    client, site, django_capture_on_commit_callbacks
):
    """Issue 14, item 3: the thank-you page and e-mail never tell a stranger that the company had applied."""
    walk(client, "en")
    with django_capture_on_commit_callbacks(execute=True):
        submit(client, "en")
    first_page = client.get(url("en", "thanks")).content.decode()
    sme = SME.objects.get()
    steps = {**STEPS, "contact": {**STEPS["contact"], "contact_email": "mallory@attacker.example"}}
    walk(client, "en", steps)
    with django_capture_on_commit_callbacks(execute=True):
        submit(client, "en")
    second_page = client.get(url("en", "thanks")).content.decode()

    assert 'data-testid="merged"' not in second_page

    def same(page):
        page = re.sub(r'name="csrfmiddlewaretoken" value="\w+"', "", page)
        return page.replace("mallory@attacker.example", "anne@biscuiterie-baie.test")

    assert same(second_page) == same(first_page)
    assert mail.outbox[0].body == mail.outbox[1].body
    assert SME.objects.get() == sme and sme.contacts.count() == 1
    assert Enquiry.objects.get(sme=sme).submissions == 1
    assert Enquiry.objects.get(sme=None).possible_duplicate_of == Enquiry.objects.get(sme=sme)


# --- moving between steps --------------------------------------------------------------------------


def test_back_keeps_the_answers(client, home_page):
    post_step(client, "en", "company", STEPS["company"])
    # On the second step, the visitor types a number then goes back.
    response = post_step(client, "en", "size", {"headcount": "14"}, action="back")
    assert response["Location"] == url("en", "company")
    company = client.get(response["Location"]).content.decode()
    assert 'value="Biscuiterie de la Baie"' in company
    assert 'value="Saint-Malo"' in company
    assert '<option value="FR" selected>' in company
    size = client.get(url("en", "size")).content.decode()
    assert 'value="14"' in size
    assert "errorlist" not in size  # what was typed is shown, not judged, until Next


def test_back_from_the_review_returns_to_the_last_step(client, home_page):
    walk(client, "en")
    response = client.post(url("en"), {"step": "review", "action": "back"})
    assert response["Location"] == url("en", "contact")
    assert 'value="anne@biscuiterie-baie.test"' in client.get(response["Location"]).content.decode()


def test_steps_cannot_be_skipped(client, home_page):
    post_step(client, "en", "company", STEPS["company"])
    assert client.get(url("en", "goals"))["Location"] == url("en", "size")
    assert client.get(url("en", "review"))["Location"] == url("en", "size")


def test_the_language_can_change_half_way_without_losing_answers(client, home_page):
    post_step(client, "en", "company", STEPS["company"])
    response = client.post("/i18n/setlang/", {"language": "fr", "next": url("en", "size")})
    assert response["Location"] == url("fr", "size")
    html = client.get(url("fr", "company")).content.decode()
    assert 'value="Biscuiterie de la Baie"' in html
    assert shows(html, "Nom de l'entreprise")


# --- bad input -------------------------------------------------------------------------------------

ERRORS = [
    (
        "company",
        {"company_name": ""},
        "Please tell us your company's name.",
        "Veuillez indiquer le nom de votre entreprise.",
    ),
    (
        "company",
        {"website": "not a website"},
        "Please enter a web address such as www.example.com.",
        "Veuillez saisir une adresse web comme www.exemple.fr.",
    ),
    (
        "company",
        {"country": ""},
        "Please choose the country where your company is based.",
        "Veuillez choisir le pays où votre entreprise est installée.",
    ),
    (
        "company",
        {"country": "ZZ"},
        "Please choose a country from the list, or “Another country”.",
        "Veuillez choisir un pays dans la liste, ou « Un autre pays ».",
    ),
    (
        "company",
        {"town": ""},
        "Please tell us your town or postcode.",
        "Veuillez indiquer votre ville ou votre code postal.",
    ),
    (
        "size",
        {"headcount": "twelve"},
        "Please enter the number of staff as a whole number, for example 12.",
        "Veuillez indiquer l'effectif en nombre entier, par exemple 12.",
    ),
    ("size", {"headcount": "-3"}, "The number of staff cannot be negative.", "L'effectif ne peut pas être négatif."),
    (
        "size",
        {"turnover": ""},
        "Please choose your annual turnover.",
        "Veuillez choisir votre chiffre d'affaires annuel.",
    ),
    ("business", {"sector": ""}, "Please choose your sector.", "Veuillez choisir votre secteur."),
    (
        "business",
        {"products": "Jam"},
        "Please tell us a little more about what you sell (at least 10 characters).",
        "Veuillez en dire un peu plus sur ce que vous vendez (10 caractères au moins).",
    ),
    (
        "business",
        {"market_orientation": ""},
        "Please tell us whether you sell to businesses, to consumers or to both.",
        "Veuillez indiquer si vous vendez à des entreprises, à des particuliers ou aux deux.",
    ),
    (
        "online",
        {"shop_platform": ""},
        "Please tell us which platform your online shop uses, or that you have none yet.",
        "Veuillez indiquer la plateforme de votre boutique en ligne, ou que vous n'en avez pas encore.",
    ),
    (
        "online",
        {"analytics": "lots"},
        "Please choose one of the options.",
        "Veuillez choisir l'une des options proposées.",
    ),
    (
        "online",
        {"experience": ""},
        "Please tell us how long you have been selling online.",
        "Veuillez indiquer depuis combien de temps vous vendez en ligne.",
    ),
    (
        "goals",
        {"goals": ""},
        "Please tell us what you would like to achieve.",
        "Veuillez indiquer ce que vous souhaitez accomplir.",
    ),
    ("contact", {"contact_name": ""}, "Please tell us your name.", "Veuillez indiquer votre nom."),
    (
        "contact",
        {"contact_email": "anne@"},
        "Please enter an e-mail address such as name@example.com.",
        "Veuillez saisir une adresse e-mail comme nom@exemple.fr.",
    ),
    (
        "contact",
        {"contact_phone": "call me"},
        "Please enter a phone number with digits, spaces and + only, for example +44 20 7946 0000.",
        "Veuillez saisir un numéro de téléphone composé de chiffres, d'espaces et du signe + uniquement, "
        "par exemple +33 1 23 45 67 89.",
    ),
    (
        "contact",
        {"consent": ""},
        "Please agree to be contacted: without it we cannot reply to your enquiry.",
        "Veuillez accepter d'être contacté : sans cet accord, nous ne pouvons pas répondre à votre demande.",
    ),
]


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize(
    ("step", "bad", "english", "french"), ERRORS, ids=[f"{e[0]}-{next(iter(e[1]))}" for e in ERRORS]
)
def test_each_bad_answer_is_explained_in_the_readers_language(client, home_page, language, step, bad, english, french):
    for earlier in ORDER[: ORDER.index(step)]:
        post_step(client, language, earlier, STEPS[earlier])
    response = post_step(client, language, step, {**STEPS[step], **bad})

    assert response.status_code == 200
    html = response.content.decode()
    assert shows(html, english if language == "en" else french)
    assert 'data-testid="error-summary"' in html
    assert 'aria-invalid="true"' in html
    assert Enquiry.objects.count() == 0


# --- bots and floods -------------------------------------------------------------------------------


@pytest.mark.parametrize("where", ["company", "review"])
def test_a_filled_bot_trap_is_silently_dropped(client, site, where):
    if where == "company":
        response = post_step(client, "en", "company", {**STEPS["company"], "comment": "Buy cheap watches"})
    else:
        walk(client, "en")
        response = client.post(url("en"), {"step": "review", "action": "submit", "comment": "http://spam.test"})
    assert response.status_code == 302
    assert response["Location"] == url("en", "thanks")
    thanks = client.get(response["Location"])
    assert thanks.status_code == 200
    assert "Thank you" in thanks.content.decode()
    assert Enquiry.objects.count() == 0 and SME.objects.count() == 0
    assert mail.outbox == []


def test_the_bot_trap_is_hidden_from_people(client, home_page):
    html = client.get(url("en")).content.decode()
    assert '<div class="trap" aria-hidden="true">' in html
    assert 'name="comment"' in html and 'tabindex="-1"' in html


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "We have received several questionnaires from your connection in the last hour"),
        ("fr", "Nous avons reçu plusieurs questionnaires depuis votre connexion au cours de la dernière heure"),
    ],
)
def test_too_many_submissions_from_one_address_are_refused(client, site, settings, language, message):
    settings.ENQUIRY_RATE_LIMIT = (2, 3600)
    for number in range(2):
        steps = {**STEPS, "company": {**STEPS["company"], "company_name": f"Company {number}", "website": ""}}
        steps["contact"] = {**STEPS["contact"], "contact_email": f"person{number}@company.test"}
        walk(client, language, steps, REMOTE_ADDR="203.0.113.7")
        assert submit(client, language, REMOTE_ADDR="203.0.113.7").status_code == 302

    walk(client, language, REMOTE_ADDR="203.0.113.7")
    response = submit(client, language, REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 429
    assert shows(response.content.decode(), message)
    assert Enquiry.objects.count() == 2
    # The answers are kept for later, and another address is not affected.
    assert client.get(url(language, "review"), REMOTE_ADDR="203.0.113.7").status_code == 200
    assert submit(client, language, REMOTE_ADDR="198.51.100.1").status_code == 302
    assert Enquiry.objects.count() == 3


def test_the_site_setup_creates_the_questionnaire_and_privacy_notice_once(home_page):
    from cms.services import site_ensure_home

    page = EligibilityPage.objects.get()
    page.title_en = "Are you eligible?"
    page.save_revision().publish()
    site_ensure_home()
    site_ensure_home()
    assert EligibilityPage.objects.count() == 1 and StandardPage.objects.count() == 1
    assert EligibilityPage.objects.get().title_en == "Are you eligible?"  # editors' changes are kept
    assert EligibilityPage.objects.get().live and StandardPage.objects.get().live
