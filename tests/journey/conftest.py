"""Fixtures shared by the journey tests (builders: ``factories``)."""

import pytest

from .factories import AccountManagerFactory, LaunchpadFactory


@pytest.fixture
def manager():
    """An account manager of the UK launchpad."""
    return AccountManagerFactory(launchpad=LaunchpadFactory(), first_name="Sarah", last_name="Mitchell")
