"""The connectors' and the toolkit's figures in the quarterly reviews, as of a past date."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from connectors.models import DataSource
from connectors.records import OrderLineRecord, OrderRecord
from connectors.writer import write_orders
from journey.models import Stage, StageChange
from reporting import programme as reporting
from tests.journey.factories import LaunchpadFactory, ProgrammeFactory, SMEFactory
from toolkit.models import ToolAccess

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def _at(*args):
    return datetime.datetime(*args, 12, tzinfo=LONDON)


def _enrolled(launchpad, name, at):
    sme = SMEFactory(launchpad=launchpad, name=name)
    StageChange.objects.create(
        sme=sme, transition="enrol", from_stage=Stage.ASSESSMENT, to_stage=Stage.ONBOARDING, at=at
    )
    return sme


def _source(sme, kind, created, days):
    source = DataSource.objects.create(sme=sme, kind=kind)
    DataSource.objects.filter(pk=source.pk).update(created_at=created)
    orders = [
        OrderRecord(
            external_id=f"{kind}-{n}",
            placed_at=day,
            lines=[OrderLineRecord(line_key="1", sku="MUG", quantity=1, unit_price=Decimal("10"))],
        )
        for n, day in enumerate(days)
    ]
    write_orders(source, orders)
    return source


@pytest.fixture
def scope_at():
    programme = ProgrammeFactory(start_date=datetime.date(2025, 1, 1))
    uk = LaunchpadFactory(programme=programme)
    LaunchpadFactory(programme=programme, france=True)
    good = _enrolled(uk, "Four months", _at(2025, 3, 1))
    _source(good, "shopify", _at(2025, 3, 5), [_at(2025, 1, 1), _at(2025, 5, 20), _at(2025, 8, 1)])
    thin = _enrolled(uk, "Late file", _at(2025, 3, 1))
    # Connected after the first review: its orders do not count before, whatever their dates.
    _source(thin, "file", _at(2025, 10, 3), [_at(2025, 6, 1), _at(2025, 8, 1)])
    _enrolled(uk, "No data", _at(2025, 4, 1))
    ToolAccess.objects.create(sme=good, tool="market")
    ToolAccess.objects.filter(sme=good).update(opened_at=_at(2025, 11, 1))

    def scope(end):
        return reporting.Scope(programme, datetime.date(2025, 1, 1), end, tuple(programme.launchpads.order_by("code")))

    return scope


def _rows(scope, key):
    tables = {table["key"]: table for section in reporting.figures(scope) for table in section["tables"]}
    return {row["key"]: row["values"]["uk"] for row in tables[key]["rows"]}


def test_sources_count_from_the_day_they_were_connected(scope_at):
    assert _rows(scope_at(datetime.date(2025, 9, 30)), "data_sources") == {"shopify": 1, "smes": 1}
    assert _rows(scope_at(datetime.date(2025, 12, 31)), "data_sources") == {"shopify": 1, "file": 1, "smes": 2}


def test_readiness_levels_use_only_what_was_known_at_the_date(scope_at):
    # On 30 April the Shopify SME had one order (January): insufficient; by September, seven months: good.
    assert _rows(scope_at(datetime.date(2025, 4, 30)), "readiness") == {"insufficient": 3, "thin": 0, "good": 0}
    assert _rows(scope_at(datetime.date(2025, 9, 30)), "readiness") == {"insufficient": 2, "thin": 0, "good": 1}
    assert _rows(scope_at(datetime.date(2025, 12, 31)), "readiness") == {"insufficient": 1, "thin": 1, "good": 1}


def test_tools_open_count_inventory_for_every_enrolled_sme_and_others_from_when_opened(scope_at):
    autumn = _rows(scope_at(datetime.date(2025, 9, 30)), "tools_open")
    winter = _rows(scope_at(datetime.date(2025, 12, 31)), "tools_open")
    assert (autumn["inventory"], autumn["market"]) == (3, 0)
    assert (winter["inventory"], winter["market"], winter["planning"]) == (3, 1, 0)
