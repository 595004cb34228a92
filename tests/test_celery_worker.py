"""A real Celery worker on a real broker runs E-Channel's tasks.

The broker is ``ECHANNEL_TEST_BROKER_URL`` (default: the local Redis, database 15).
Where no broker answers (a fresh laptop) the test is skipped and says so, unless
``ECHANNEL_REQUIRE_BROKER=1`` (set by CI), which turns the skip into a failure.
"""

import os

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from kombu import Connection

from config.celery_app import app
from journey.tasks import email_send

BROKER_URL = os.environ.get("ECHANNEL_TEST_BROKER_URL", "redis://127.0.0.1:6379/15")


def _broker_reachable(url: str) -> bool:
    try:
        with Connection(url, connect_timeout=2) as connection:
            connection.ensure_connection(max_retries=1, timeout=2)
        return True
    except Exception:
        return False


@pytest.fixture
def real_broker():
    if not _broker_reachable(BROKER_URL):
        message = (
            f"no Celery broker at {BROKER_URL}: the worker test needs one "
            "(start Redis or set ECHANNEL_TEST_BROKER_URL)"
        )
        if os.environ.get("ECHANNEL_REQUIRE_BROKER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    saved = {key: app.conf[key] for key in ("broker_url", "result_backend", "task_always_eager")}
    app.conf.update(broker_url=BROKER_URL, result_backend=BROKER_URL, task_always_eager=False)
    try:
        yield app
    finally:
        app.conf.update(saved)


@pytest.mark.broker
def test_a_worker_on_the_broker_sends_the_queued_email(real_broker):
    with start_worker(real_broker, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        result = email_send.delay(subject="Séance du 3 décembre", body="Ordre du jour", to=["anne@example.org"])
        assert result.get(timeout=30) == 1
    assert result.successful()
    assert [message.subject for message in mail.outbox] == ["Séance du 3 décembre"]
