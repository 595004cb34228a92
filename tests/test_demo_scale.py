"""The scale demo (``load_demo --scale N``): every stage, histories, idempotent and seeded (issue 22)."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db.models import F

from coaching import demo_scale as coaching_scale
from coaching.models import Contact, Session
from connectors import demo_scale as connectors_scale
from connectors.models import DataSource, Order, OrderLine, Product
from journey import demo_scale as journey_scale
from journey.models import SME, ContactPerson, Role, Stage, StageChange, User
from tests.journey.factories import LaunchpadFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def launchpads():
    uk = LaunchpadFactory()
    return uk, LaunchpadFactory(france=True, programme=uk.programme)


def _load(n: int) -> None:
    journey_scale.load(n)
    connectors_scale.load(factor=0.005)
    coaching_scale.load()


def _counts() -> tuple[int, ...]:
    models = [SME, User, StageChange, ContactPerson, DataSource, Product, Order, OrderLine, Session, Contact]
    return tuple(model.objects.count() for model in models)


def test_loading_twice_creates_nothing_the_second_time(launchpads):
    _load(30)
    first = _counts()
    _load(30)
    assert _counts() == first
    assert SME.objects.filter(slug__startswith=journey_scale.SLUG_PREFIX).count() == 30


def test_a_larger_scale_adds_only_the_new_smes(launchpads):
    _load(12)
    names = dict(SME.objects.values_list("slug", "name"))
    lines = dict(OrderLine.objects.values_list("order__sme__slug").annotate().values_list("order__sme__slug", "pk"))
    _load(20)
    assert SME.objects.filter(slug__startswith=journey_scale.SLUG_PREFIX).count() == 20
    assert {slug: name for slug, name in SME.objects.values_list("slug", "name") if slug in names} == names
    assert set(lines) <= set(OrderLine.objects.values_list("order__sme__slug", flat=True))


def test_the_programme_spans_the_journey_with_40_account_managers(launchpads):
    _load(120)
    stages = set(SME.objects.values_list("stage", flat=True))
    assert stages == set(Stage.values)
    managers = User.objects.filter(role=Role.ACCOUNT_MANAGER, email__endswith=journey_scale.MANAGER_DOMAIN)
    assert managers.count() == 40
    # Every account manager follows SMEs of their own launchpad only.
    assert not SME.objects.exclude(primary_account_manager__launchpad=F("launchpad")).exists()
    assert managers.filter(assigned_smes__isnull=False).distinct().count() == 40
    # Each SME's log replays to its stage: the last move's destination is where it stands.
    for sme in SME.objects.exclude(stage=Stage.ENQUIRY):
        assert sme.stage_changes.order_by("-at").first().to_stage == sme.stage
    # SMEs with data have orders; SMEs still before data collection have none.
    with_orders = set(Order.objects.values_list("sme__stage", flat=True))
    assert Stage.INTENSIVE in with_orders
    assert not with_orders & {Stage.ENQUIRY, Stage.SCREENING, Stage.ASSESSMENT, Stage.ONBOARDING}


def test_histories_are_seeded_and_skewed(launchpads):
    smes = [SME(slug=journey_scale.slug_for(number)) for number in range(1, 1001)]
    sizes = sorted(connectors_scale.lines_a_year(sme) for sme in smes)
    assert sizes == sorted(connectors_scale.lines_a_year(sme) for sme in smes)  # the same every time
    assert 2000 <= sizes[len(sizes) // 2] <= 6000  # most: a few thousand lines a year
    assert 5 <= sum(size > 100_000 for size in sizes) <= 40  # a few over 100,000


def test_the_command_refuses_a_scale_out_of_range():
    with pytest.raises(CommandError, match="--scale"):
        call_command("load_demo", "--scale", "-1")


def test_calendar_uids_are_the_same_each_time_the_scale_demo_is_built(launchpads):
    _load(12)
    first = sorted(Session.objects.values_list("sme__slug", "starts_at", "uid"))
    assert first and len({uid for _slug, _at, uid in first}) == len(first)
    Session.objects.all().delete()
    coaching_scale.load()
    assert sorted(Session.objects.values_list("sme__slug", "starts_at", "uid")) == first
