"""The SME's confirmation of an outcome, in a real browser, in English and in French (screenshots).

An SME whose plan aimed at Germany sells there for the first time; its own user reads the
question on the company page, answers "confirmed" with a note, and sees the answer kept; the
outcomes page shows the month-by-month figures. Screenshots: test-output/screenshots/outcomes-*.png.
"""

import datetime
import re

import pytest

from coaching import outcomes, services
from coaching.models import TrackedMarket
from tests.browser import CHROMIUM, screenshot, sign_in
from tests.journey.factories import PASSWORD, AccountManagerFactory, LaunchpadFactory, SMEFactory, SMEUserFactory

from .test_outcomes import History, at

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"Chromium not installed at {CHROMIUM}"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

CASES = {
    "en": ("uk", "Germany", "We noticed your first orders from Germany", "Yes, the programme helped",
           "Confirmed: the programme helped", "Thank you: your answer is recorded.",
           "2 orders, £115.50 net sales, 1 new customer."),
    "fr": ("fr", "Allemagne", "Nous avons remarqué vos premières commandes venant de ce pays : Allemagne",
           "Oui, le programme nous a aidés", "Confirmé : le programme a aidé",
           "Merci : votre réponse est enregistrée.",
           "2 commandes, 115,50 € de ventes nettes, 1 nouveau client."),
}  # fmt: skip


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_sme_confirms_its_first_sale_in_a_new_market(live_server, page, language):
    from playwright.sync_api import expect

    code, country, question, yes, answered, thanks, since_figures = CASES[language]
    launchpad = LaunchpadFactory(france=True) if code == "fr" else LaunchpadFactory()
    manager = AccountManagerFactory(launchpad=launchpad)
    sme = SMEFactory(launchpad=launchpad, primary_account_manager=manager, name=f"Outcome SME {language}")
    user = SMEUserFactory(sme=sme, email=f"owner-{language}@outcome.test", preferred_language=language)
    history = History(sme)
    for month in range(1, 13):
        history.order(at(2025, month, 10, 10), launchpad.country, "40.00", customer=f"home-{month % 4}")
    plan = services.plan_draft_ensure(sme=sme, by=manager)
    services.plan_update(plan=plan, by=manager, title="Germany")
    services.market_save(plan=plan, by=manager, country="DE", orientation="b2c")
    services.plan_share(plan=plan, by=manager)
    # Followed for a month by now (the baseline, frozen at sharing, had no German order).
    since = plan.shared_at - datetime.timedelta(days=30)
    TrackedMarket.objects.filter(sme=sme).update(tracked_since=since)
    history.order(since + datetime.timedelta(days=3), "DE", "80.00", customer="berlin")
    history.order(since + datetime.timedelta(days=4), "DE", "35.50", channel="Amazon", customer="home-1")
    (event,) = outcomes.outcomes_detect(sme)

    sign_in(page, live_server, email=user.email, password=PASSWORD, language=language)
    page.goto(f"{live_server.url}/{language}/portal/smes/{sme.slug}/")
    card = page.locator(f'[data-testid="outcome-{event.pk}"]')
    expect(card).to_contain_text(question)
    expect(card).to_contain_text("115")  # the two orders' net sales, prefilled from the orders
    # Since the plan: both German orders, one new customer (Berlin; the other ordered at home before).
    expect(card.locator('[data-testid="outcome-since"]')).to_contain_text(since_figures)
    screenshot(page, f"outcomes-question-{language}.png")

    card.get_by_label(yes).check()
    card.locator("textarea").fill("Our German product pages" if language == "en" else "Nos fiches en allemand")
    with page.expect_navigation():
        card.locator("button[type=submit]").click()
    expect(page.locator("body")).to_contain_text(thanks)
    expect(page.locator(f'[data-testid="outcome-answered-{event.pk}"]')).to_contain_text(answered)
    screenshot(page, f"outcomes-answered-{language}.png")
    event.refresh_from_db()
    assert event.answer == "confirmed" and event.confirmations.get().by == user

    page.goto(f"{live_server.url}/{language}/portal/coaching/smes/{sme.slug}/outcomes/")
    market = page.locator('[data-testid="outcome-market"]')
    expect(market).to_contain_text(country)
    # One new customer in Germany (Berlin); the other German order came from a customer known before.
    new_customers = "New customers" if language == "en" else "Nouveaux clients"
    cells = market.locator(f'td[data-label="{new_customers}"]')
    expect(cells.filter(has_text=re.compile(r"^\s*1\s*$"))).to_have_count(1)
    expect(cells.filter(has_text=re.compile(r"^\s*[2-9]"))).to_have_count(0)
    screenshot(page, f"outcomes-months-{language}.png")
