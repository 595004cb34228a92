"""``python manage.py load_demo`` builds a realistic programme and can be re-run safely."""

import datetime
from collections import Counter
from io import StringIO

import pytest
from dateutil.relativedelta import relativedelta
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from cms.models import HomePage
from journey.models import (
    SME,
    ContactPerson,
    Launchpad,
    Programme,
    Role,
    Stage,
    StageChange,
    User,
)
from journey.stages import overdue_q
from reporting.models import Lesson, QuarterlyReview, ReviewStatus

pytestmark = pytest.mark.django_db


def _load() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def _counts():
    return {
        "launchpads": Launchpad.objects.count(),
        "users": User.objects.count(),
        "smes": SME.objects.count(),
        "contacts": ContactPerson.objects.count(),
        "stage changes": StageChange.objects.count(),
        "home pages": HomePage.objects.count(),
    }


def test_demo_programme_has_the_people_and_smes_the_brief_names():
    _load()
    assert set(Launchpad.objects.values_list("code", "currency", "time_zone")) == {
        ("uk", "GBP", "Europe/London"),
        ("fr", "EUR", "Europe/Paris"),
    }
    roles = {role: User.objects.filter(role=role).count() for role in Role.values}
    assert roles == {Role.COORDINATOR: 1, Role.LAUNCHPAD_MANAGER: 2, Role.ACCOUNT_MANAGER: 4, Role.SME_USER: 24}
    for code in ("uk", "fr"):
        smes = SME.objects.filter(launchpad__code=code, users__role=Role.SME_USER)
        assert smes.count() == 12
        assert User.objects.filter(role=Role.ACCOUNT_MANAGER, launchpad__code=code).count() == 2
        assert User.objects.filter(role=Role.LAUNCHPAD_MANAGER, launchpad__code=code).count() == 1
        assert not smes.filter(primary_account_manager__isnull=True).exists()
        assert not smes.exclude(primary_account_manager__launchpad__code=code).exists()
    # Varied: sectors, B2B/B2C and shop platforms.
    assert SME.objects.values("sector").distinct().count() >= 8
    assert set(SME.objects.values_list("market_orientation", flat=True)) == {"b2b", "b2c", "both"}
    assert SME.objects.values("shop_platform").distinct().count() >= 5
    # Every enrolled SME has its user; the newer applicants have none yet. French users read French.
    for sme in SME.objects.filter(stage_changes__to_stage=Stage.ONBOARDING).distinct():
        assert sme.users.filter(role=Role.SME_USER).count() == 1
    assert SME.objects.filter(users__isnull=True).count() == 6
    assert set(User.objects.filter(sme__launchpad__code="fr").values_list("preferred_language", flat=True)) == {"fr"}
    assert SME.objects.filter(collaborators__isnull=False).distinct().count() >= 2


def test_re_running_the_demo_duplicates_nothing():
    _load()
    first = _counts()
    sme = SME.objects.get(slug="hebridean-knitwear")
    sme.name = "Renamed during a demo"
    sme.save()
    _load()
    assert _counts() == first
    assert SME.objects.get(slug="hebridean-knitwear").name == "Hebridean Knitwear Co"


def test_demo_prints_the_logins():
    output = _load()
    assert "echannel-demo" in output
    assert "coordinator@e-channel.example" in output
    assert "anne@biscuiterie-de-la-baie.example" in output
    assert output.count("@") >= 31


def test_demo_logins_work(client):
    _load()
    response = client.post(
        "/fr/accounts/login/", {"username": "anne@biscuiterie-de-la-baie.example", "password": "echannel-demo"}
    )
    assert response.status_code == 302
    page = client.get(response["Location"], follow=True)
    assert page.redirect_chain[-1][0] == "/fr/portal/smes/biscuiterie-de-la-baie/"
    assert "Biscuiterie de la Baie" in page.content.decode()


def _enrolled_by(moment):
    changes = StageChange.objects.filter(to_stage=Stage.ONBOARDING, at__lte=moment)
    return dict(Counter(changes.values_list("sme__launchpad__code", flat=True)))


def test_demo_history_reproduces_the_original_enrolment_table():
    _load()
    programme = Programme.objects.get()
    assert programme.start_date == timezone.localdate() - relativedelta(months=21)

    def review(month):
        day = programme.start_date + relativedelta(months=month)
        return datetime.datetime.combine(day, datetime.time(23, 59), tzinfo=datetime.UTC)

    assert _enrolled_by(review(9)) == {}
    assert _enrolled_by(review(12)) == {"uk": 6, "fr": 4}
    assert _enrolled_by(review(15)) == {"uk": 9, "fr": 8}
    assert _enrolled_by(review(18)) == {"uk": 12, "fr": 12}
    # The published reviews froze those figures (computed from the history, never typed in) ...
    published = QuarterlyReview.objects.filter(status=ReviewStatus.PUBLISHED).order_by("number")
    assert [review.number for review in published] == [1, 2, 3, 4]
    cumulative = [review.frozen["figures"]["en"][0]["tables"][0]["rows"][0] for review in published]
    assert [(row["values"]["uk"], row["values"]["fr"], row["total"]) for row in cumulative] == [
        (0, 0, 0), (6, 4, 10), (9, 8, 17), (12, 12, 24)
    ]  # fmt: skip
    # ... with every app's history in them, and review 5 is the draft of the current quarter.
    sections = {section["key"]: section for section in published.last().frozen["figures"]["en"]}
    assert {"journey", "coaching", "data", "toolkit", "learning"} <= set(sections)
    data_sources = sections["data"]["tables"][0]["rows"][-1]
    assert data_sources["key"] == "smes" and data_sources["total"] > 0
    contacts = sections["coaching"]["tables"][0]["rows"]
    assert sum(row["total"] for row in contacts) > 0
    assert QuarterlyReview.objects.get(number=5).status == ReviewStatus.DRAFT
    assert [lesson.number for lesson in Lesson.objects.filter(review_number=2)] == [2, 3, 4, 5]


def test_demo_places_smes_across_the_journey():
    _load()
    stages = set(SME.objects.values_list("stage", flat=True))
    # Every stage but "completed": the programme has not ended yet.
    assert stages == set(Stage.values) - {Stage.COMPLETED}
    assert SME.objects.filter(overdue_q()).count() >= 2
    # The history is consistent: each SME's last logged move ends where it stands.
    for sme in SME.objects.exclude(stage=Stage.ENQUIRY):
        last = sme.stage_changes.order_by("-at", "-pk").first()
        assert last.to_stage == sme.stage
        assert last.at == sme.stage_entered_at


def test_demo_smes_have_histories_that_show_every_readiness_level_and_opportunity_group():
    from toolkit.models import ToolkitReport

    _load()
    reports = list(ToolkitReport.objects.all())
    with_data = SME.objects.filter(orders__isnull=False).distinct().count()
    assert with_data >= 15 and len(reports) == with_data
    assert {r.document["readiness"]["level"] for r in reports} == {"insufficient", "thin", "good"}
    groups = {o["group"] for r in reports for o in r.document["market"]["opportunities"]}
    assert groups == {"strong", "good", "potential"}
    scores = [r.document["inventory"]["score"] for r in reports]
    assert min(scores) < 90 and max(scores) == 100.0  # listings of mixed quality: the fix lists have work
    # French SMEs sell under French names, British ones under English names.
    from connectors.demo import PRODUCT_WORDS, PRODUCT_WORDS_FR
    from connectors.models import Product

    def words(table):
        return {word.lower() for names in table.values() for word in names} - {"puzzle"}  # the same in both

    for country, own, other in (("FR", PRODUCT_WORDS_FR, PRODUCT_WORDS), ("GB", PRODUCT_WORDS, PRODUCT_WORDS_FR)):
        titles = [t.split(" — ")[0].lower() for t in Product.objects.filter(sme__country=country).values_list(
            "title", flat=True)]  # fmt: skip
        assert titles and all(t not in words(other) for t in titles), country
        assert sum(t in words(own) for t in titles) >= len(titles) // 2, country
    assert not Product.objects.filter(sme__country="FR", description__contains="made by").exists()


def test_demo_orders_are_all_in_the_past():
    from connectors.models import Order

    before = timezone.now()
    _load()
    assert Order.objects.exists()
    assert not Order.objects.filter(placed_at__gt=timezone.now()).exists()
    assert Order.objects.filter(placed_at__gt=before - datetime.timedelta(days=7)).exists()  # up to this week


def test_demo_smes_shops_await_connection_on_their_own_platform(client):
    """Each demo SME with data has a source of the platform its shop runs on (PrestaShop, Magento,
    Squarespace, …), not connected: no address, no key, never synced, not counted by the reviews."""
    from connectors.models import DataSource, SourceStatus
    from connectors.tasks import sync_all_sources

    _load()
    awaiting = DataSource.objects.filter(status=SourceStatus.AWAITING)
    platforms = set(awaiting.values_list("kind", flat=True))
    assert {"prestashop", "magento", "squarespace", "shopify", "woocommerce"} <= platforms
    for source in awaiting.select_related("sme"):
        assert source.kind == source.sme.shop_platform
        assert source.base_url == "" and not source.has_credentials and not source.runs.exists()
    sheffield = DataSource.objects.get(sme__slug="sheffield-steel-tools", kind="magento")
    assert sheffield.status == SourceStatus.AWAITING
    count = DataSource.objects.count()
    _load()
    assert DataSource.objects.count() == count
    # The nightly sync leaves them alone (they have nothing to sync from): the demo has no other shop.
    assert sync_all_sources.apply().get() == 0
    assert not awaiting.filter(runs__isnull=False).exists()
    # The owner sees it awaiting connection, with no "Sync now"; the connect form offers its platform.
    client.force_login(sheffield.sme.users.get())
    with translation.override("en"):
        data_url = reverse("connectors:data_sources", kwargs={"slug": sheffield.sme.slug})
        sync_url = reverse("connectors:sync_now", kwargs={"slug": sheffield.sme.slug, "pk": sheffield.pk})
    page = client.get(data_url).content.decode()
    assert "Awaiting connection" in page and 'data-testid="awaiting-connection"' in page
    assert sync_url not in page
    assert client.post(sync_url).status_code == 404
    assert 'data-kind="magento"' in page
