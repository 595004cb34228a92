"""A real Celery worker process, started as in production, runs E-Channel's tasks from a real broker.

The broker is ``ECHANNEL_TEST_BROKER_URL`` (default: the local Redis, database 15).
Where no broker answers (a fresh laptop) the test is skipped and says so, unless
``ECHANNEL_REQUIRE_BROKER=1`` (set by CI), which turns the skip into a failure.
"""

import os
import subprocess
import sys
import time
import uuid
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from celery import Celery
from kombu import Connection

ROOT = Path(__file__).resolve().parent.parent
BROKER_URL = os.environ.get("ECHANNEL_TEST_BROKER_URL", "redis://127.0.0.1:6379/15")


def _broker_reachable(url: str) -> bool:
    try:
        with Connection(url, connect_timeout=2) as connection:
            connection.ensure_connection(max_retries=1, timeout=2)
        return True
    except Exception:
        return False


@pytest.fixture
def broker_url():
    if not _broker_reachable(BROKER_URL):
        message = (
            f"no Celery broker at {BROKER_URL}: the worker test needs one (start Redis or set ECHANNEL_TEST_BROKER_URL)"
        )
        if os.environ.get("ECHANNEL_REQUIRE_BROKER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return BROKER_URL


@pytest.fixture
def worker(broker_url, tmp_path):
    """``celery -A config worker`` on its own queue, e-mail written to files under tmp_path/mailbox."""
    queue = f"echannel-test-{uuid.uuid4().hex[:12]}"
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'worker.sqlite3'}",
        "CELERY_BROKER_URL": broker_url,
        "EMAIL_URL": "filemail:///mailbox",  # relative to the worker's folder
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "-Q",
            queue,
            "--without-gossip",
            "--without-mingle",
            "--loglevel=INFO",
        ],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        yield queue, tmp_path / "mailbox"
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=30)
        print(output.decode(errors="replace"))


@pytest.mark.broker
def test_a_worker_process_sends_the_queued_email(broker_url, worker):
    queue, mailbox = worker
    producer = Celery("echannel-test-producer", broker=broker_url)
    producer.send_task(
        "journey.tasks.email_send",
        kwargs={"subject": "Séance du 3 décembre", "body": "Ordre du jour", "to": ["anne@example.org"]},
        queue=queue,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not (mailbox.is_dir() and any(mailbox.iterdir())):
        time.sleep(0.2)
    files = sorted(mailbox.iterdir()) if mailbox.is_dir() else []
    assert len(files) == 1, "the worker did not send the e-mail within 60 s"
    message = message_from_bytes(files[0].read_bytes().split(b"\n" + b"-" * 79)[0], policy=policy.default)
    assert message["Subject"] == "Séance du 3 décembre"
    assert message["To"] == "anne@example.org"
