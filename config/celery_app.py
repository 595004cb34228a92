"""The Celery application.

With no ``CELERY_BROKER_URL`` tasks run in-process (eager); with one, they go to the
broker (Redis or RabbitMQ) and workers started with
``celery -A config worker`` run them.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

app = Celery("echannel")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
