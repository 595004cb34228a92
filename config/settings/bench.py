"""Production settings served over plain HTTP on this machine's loopback, for the load benchmark.

Everything production does (DEBUG off, the same middleware, PostgreSQL, the same caches),
except what needs TLS in front: secure-only cookies and the HTTPS redirect, which a
loopback client without a proxy cannot follow; and static files stay unhashed, so that the
benchmark needs no ``collectstatic``. Never use it for a site.
"""

from .production import *  # noqa: F403

SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
LANGUAGE_COOKIE_SECURE = False
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
