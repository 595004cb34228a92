"""The toolkit overview page: scoping, readiness, headline, chart with a text alternative, opening tools."""

import datetime
from decimal import Decimal

import pytest

from connectors.models import DataSource
from connectors.records import OrderLineRecord, OrderRecord
from connectors.writer import write_orders
from tests.journey.factories import AccountManagerFactory, CoordinatorFactory, SMEFactory, SMEUserFactory
from toolkit.models import Tool, ToolAccess

pytestmark = pytest.mark.django_db


@pytest.fixture
def sme():
    manager = AccountManagerFactory()
    company = SMEFactory(launchpad=manager.launchpad, primary_account_manager=manager)
    source = DataSource.objects.create(sme=company, kind="file")
    today = datetime.date.today()
    orders = []
    for n in range(1, 121):  # one order every 3 days for a year: "good" data
        day = today - datetime.timedelta(days=3 * n)
        orders.append(
            OrderRecord(
                external_id=str(n),
                placed_at=datetime.datetime(day.year, day.month, day.day, 12, tzinfo=datetime.UTC),
                lines=[OrderLineRecord(line_key="1", sku="MUG", quantity=1, unit_price=Decimal("20"))],
            )
        )
    write_orders(source, orders)
    return company


def _url(sme):
    return f"/en/portal/smes/{sme.slug}/toolkit/"


def test_sme_user_sees_readiness_headline_and_tools(client, sme):
    client.force_login(SMEUserFactory(sme=sme))
    page = client.get(_url(sme)).content.decode()
    # A year of orders, but no unit cost known: sales can be relied on, profit is estimated.
    assert "Your data is good enough to rely on." not in page
    assert "Your sales figures are good enough to rely on; profit is estimated" in page
    assert "Profit (estimated)" in page
    assert 'data-figure="sales"' in page and "£" in page
    assert 'data-tool="inventory" class="open"' in page
    assert 'data-tool="planning" class="locked"' in page
    assert "Open it for this SME" not in page  # only account managers open tools
    assert "<svg" not in page  # the chart belongs to the planning tool, still locked


def test_the_chart_has_a_text_alternative_once_planning_is_open(client, sme):
    ToolAccess.objects.create(sme=sme, tool=Tool.PLANNING)
    client.force_login(SMEUserFactory(sme=sme))
    page = client.get(_url(sme)).content.decode()
    assert '<svg class="chart chart-wide"' in page and 'role="img"' in page
    assert '<title id="chart-title">Sales and profit by month</title>' in page
    assert '<desc id="chart-desc">Bars: sales of each month' in page


def test_account_manager_opens_a_tool(client, sme):
    client.force_login(sme.primary_account_manager)
    response = client.post(f"{_url(sme)}open/", {"tool": "market"}, follow=True)
    assert "is now open for" in response.content.decode()
    assert ToolAccess.objects.filter(sme=sme, tool="market", opened_by=sme.primary_account_manager).exists()


def test_coordinators_and_sme_users_may_not_open_tools(client, sme):
    for user in (CoordinatorFactory(), SMEUserFactory(sme=sme)):
        client.force_login(user)
        assert client.post(f"{_url(sme)}open/", {"tool": "market"}).status_code == 403
    assert not ToolAccess.objects.exists()


def test_other_companies_toolkits_are_not_found(client, sme):
    client.force_login(SMEUserFactory())
    assert client.get(_url(sme)).status_code == 404


def test_an_sme_without_data_is_told_so(client):
    company = SMEFactory()
    client.force_login(SMEUserFactory(sme=company))
    page = client.get(_url(company)).content.decode()
    assert "There is not enough data yet for the analyses" in page
    assert 'data-testid="headline"' not in page


def test_the_sme_page_links_to_the_toolkit(client, sme):
    client.force_login(SMEUserFactory(sme=sme))
    client.get(_url(sme))  # computes and stores the report
    page = client.get(f"/en/portal/smes/{sme.slug}/").content.decode()
    assert 'data-testid="toolkit-panel"' in page and _url(sme) in page


def test_staff_read_the_toolkit_as_the_smes_not_as_their_own(client, sme):
    client.force_login(sme.primary_account_manager)
    page = client.get(_url(sme)).content.decode()
    assert f"{sme.name}&#x27;s DMCP toolkit" in page or f"{sme.name}'s DMCP toolkit" in page
    # Good data without unit costs: the sales are reliable, the profit estimated; said of the SME.
    assert "Their sales figures are good enough to rely on; profit is estimated" in page and "Their tools" in page
    assert "Your" not in page
    # The SME's name at the top leads staff to its workspace.
    assert f'href="/en/portal/smes/{sme.slug}/workspace/"' in page
    client.force_login(SMEUserFactory(sme=sme))
    page = client.get(_url(sme)).content.decode()
    assert "Your DMCP toolkit" in page and "Their tools" not in page
    assert f'href="/en/portal/smes/{sme.slug}/"' in page and "/workspace/" not in page
