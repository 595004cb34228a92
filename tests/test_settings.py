"""Configuration comes from environment variables alone (django-environ)."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PROBE = (
    "import json, django; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({'engine': s.DATABASES['default']['ENGINE'], 'name': str(s.DATABASES['default']['NAME']), "
    "'eager': s.CELERY_TASK_ALWAYS_EAGER, 'broker': s.CELERY_BROKER_URL, 'email': s.EMAIL_BACKEND, 'debug': s.DEBUG}))"
)


def _clean_env(**extra):
    env = {key: value for key, value in os.environ.items() if key not in _VARIABLES}
    env.update(extra)
    return env


_VARIABLES = {"DATABASE_URL", "CELERY_BROKER_URL", "EMAIL_URL", "SECRET_KEY", "ALLOWED_HOSTS", "DEBUG", "SITE_URL"}


def _settings(module, **variables):
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=_clean_env(DJANGO_SETTINGS_MODULE=module, **variables),
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_with_no_variables_a_laptop_gets_sqlite_eager_tasks_and_console_email():
    values = _settings("config.settings.dev")
    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["name"] == str(ROOT / "db.sqlite3")
    assert values["eager"] is True
    assert values["email"] == "django.core.mail.backends.console.EmailBackend"
    assert values["debug"] is True


def test_variables_switch_to_postgresql_a_broker_and_smtp():
    values = _settings(
        "config.settings.dev",
        DATABASE_URL="postgres://echannel:secret@db.internal:5432/echannel",
        CELERY_BROKER_URL="redis://cache.internal:6379/0",
        EMAIL_URL="smtp+tls://mailer:secret@smtp.internal:587",
    )
    assert values["engine"] == "django.db.backends.postgresql"
    assert values["name"] == "echannel"
    assert values["eager"] is False
    assert values["broker"] == "redis://cache.internal:6379/0"
    assert values["email"] == "django.core.mail.backends.smtp.EmailBackend"


def test_production_settings_pass_the_deployment_checklist():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_clean_env(
            DJANGO_SETTINGS_MODULE="config.settings.production",
            SECRET_KEY="p7#kq2-vx9!mzr4t8w@ylc0s$hf6n1ud3gj5ae^bo_0xk7qv2m",
            ALLOWED_HOSTS="e-channel.example.org",
            DATABASE_URL="sqlite:////tmp/echannel-deploy-check.sqlite3",
            EMAIL_URL="smtp+tls://mailer:secret@smtp.example.org:587",
        ),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "DEBUG" not in result.stderr
