"""Fixtures shared by the toolkit's tests: a shop with fourteen months of orders, its manager and owner."""

import pytest

from tests.journey.factories import AccountManagerFactory, SMEFactory, SMEUserFactory
from toolkit.models import Tool

from .factories import ToolAccessFactory, build_shop


@pytest.fixture
def manager():
    return AccountManagerFactory()


@pytest.fixture
def shop(manager):
    return build_shop(SMEFactory(launchpad=manager.launchpad, primary_account_manager=manager))


@pytest.fixture
def owner(shop):
    return SMEUserFactory(sme=shop)


@pytest.fixture
def all_open(shop):
    for tool in Tool.values:
        ToolAccessFactory(sme=shop, tool=tool)
    return shop
