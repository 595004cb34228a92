"""Fixtures of the public site's tests."""

import pytest
from django.core.cache import cache

from tests.journey.factories import LaunchpadFactory


@pytest.fixture
def launchpads(home_page):
    """The site with both launchpads (the contact form offers them)."""
    return {"uk": LaunchpadFactory(), "fr": LaunchpadFactory(france=True)}


@pytest.fixture
def fresh_cache():
    """An empty cache: the public forms' rate limits count in it."""
    cache.clear()
    yield
    cache.clear()
