"""Reference durations of the journey's stages: due dates and the overdue filter.

DESIGN.md gives: consultation 1 month (assessment), data collection 3 months, SME
evaluation under 6 months (screening + assessment + onboarding: 1 + 1 + 4), intensive 4
months. The others are the programme's working defaults. ``JOURNEY_STAGE_DURATIONS`` in
settings overrides any of them (``{"onboarding": {"months": 3}}``; ``{}`` for none).
"""

from __future__ import annotations

import datetime

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db.models import Q
from django.utils import timezone

DEFAULT_DURATIONS: dict[str, dict[str, int]] = {
    "enquiry": {"days": 14},
    "screening": {"months": 1},
    "assessment": {"months": 1},
    "onboarding": {"months": 4},
    "data_collection": {"months": 3},
    "planning": {"months": 1},
    "intensive": {"months": 4},
    "growth_review": {"months": 1},
}


def durations() -> dict[str, relativedelta]:
    merged = {**DEFAULT_DURATIONS, **getattr(settings, "JOURNEY_STAGE_DURATIONS", {})}
    return {stage: relativedelta(**value) for stage, value in merged.items() if value}


def overdue_q(*, now: datetime.datetime | None = None) -> Q:
    """A filter for the SMEs whose current stage is past its due date (one query, any database)."""
    now = now or timezone.now()
    condition = Q(pk__in=[])
    for stage, duration in durations().items():
        condition |= Q(stage=stage, stage_entered_at__lt=now - duration)
    return condition
