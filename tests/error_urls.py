"""The site's URLs plus three views that fail on purpose, for tests/test_error_pages.py."""

from django.conf.urls.i18n import i18n_patterns
from django.core.exceptions import PermissionDenied
from django.urls import path
from django.views.decorators.http import require_POST

from config.urls import urlpatterns as site_urlpatterns


def refused(request):
    raise PermissionDenied


def broken(request):
    raise RuntimeError("a failure on purpose")


@require_POST
def form_target(request):  # pragma: no cover - only ever refused
    raise AssertionError("never reached by GET")


urlpatterns = [
    *i18n_patterns(
        path("test-errors/refused/", refused),
        path("test-errors/broken/", broken),
        path("test-errors/form-target/", form_target),
    ),
    *site_urlpatterns,
]
