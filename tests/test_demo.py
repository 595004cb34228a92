"""``python manage.py load_demo`` builds a realistic programme and can be re-run safely."""

from io import StringIO

import pytest
from django.core.management import call_command

from cms.models import HomePage
from journey.models import SME, ContactPerson, Launchpad, Role, User

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
        smes = SME.objects.filter(launchpad__code=code)
        assert smes.count() == 12
        assert User.objects.filter(role=Role.ACCOUNT_MANAGER, launchpad__code=code).count() == 2
        assert User.objects.filter(role=Role.LAUNCHPAD_MANAGER, launchpad__code=code).count() == 1
        assert not smes.filter(primary_account_manager__isnull=True).exists()
        assert not smes.exclude(primary_account_manager__launchpad__code=code).exists()
    # Varied: sectors, B2B/B2C and shop platforms.
    assert SME.objects.values("sector").distinct().count() >= 8
    assert set(SME.objects.values_list("market_orientation", flat=True)) == {"b2b", "b2c", "both"}
    assert SME.objects.values("shop_platform").distinct().count() >= 5
    # Every SME has its user; French users read French.
    for sme in SME.objects.all():
        assert sme.users.filter(role=Role.SME_USER).count() == 1
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
