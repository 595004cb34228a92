"""Test settings: fast hashing, local-memory cache and e-mail, eager tasks unless a test starts a worker."""

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# The suite decides per test whether a real broker is used (tests/test_celery_worker.py).
CELERY_BROKER_URL = "memory://"
CELERY_TASK_ALWAYS_EAGER = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Retries without waiting (Retry-After from a mocked 429 is still honoured).
CONNECTORS_HTTP_BACKOFF = 0
# Squarespace's one-minute cool-down after a 429, not waited in tests (one test sets its own).
CONNECTORS_SQUARESPACE_COOLDOWN = 0
# The tests' shop servers run on 127.0.0.1 (tests/connectors/loopback.py, the benchmark's).
CONNECTORS_ALLOW_LOCAL_ADDRESSES = True
# Shopify's first sync pages through the GraphQL API in the tests that are not about bulk
# operations (tests/connectors/test_shopify_bulk.py turns them on, and checks they are the default).
CONNECTORS_SHOPIFY_BULK = False
