"""Fixtures shared by the whole suite."""

import pytest

from cms.services import site_ensure_home


@pytest.fixture
def home_page(db):
    """The bilingual home page at the root of the default site, as ``load_demo`` builds it."""
    return site_ensure_home()
