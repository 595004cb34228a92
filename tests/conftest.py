"""Fixtures shared by the whole suite."""

import pytest
from django.conf import settings
from django.utils import translation

from cms.services import site_ensure_home
from tests.browser import browser, demo_data, page  # noqa: F401 - the browser fixtures, for every test


def pytest_report_header(config):
    database = settings.DATABASES["default"]
    return f"e-channel: database {database['ENGINE'].rsplit('.', 1)[-1]} ({database['NAME']})"


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in English: a request to /fr/ leaves French active in the thread otherwise."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(scope="session")
def live_server(django_db_setup, live_server):
    """pytest-django's live server, torn down before the test database it uses."""
    return live_server


@pytest.fixture
def home_page(db):
    """The bilingual home page at the root of the default site, as ``load_demo`` builds it."""
    return site_ensure_home()
