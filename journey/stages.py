"""Reference durations of the journey's stages: due dates and the overdue flag.

DESIGN.md gives: consultation 1 month (assessment), data collection 3 months, SME
evaluation under 6 months (screening + assessment + onboarding: 1 + 1 + 4), intensive 4
months. The others are the programme's working defaults. ``JOURNEY_STAGE_DURATIONS`` in
settings overrides any of them (``{"onboarding": {"months": 3}}``; ``{}`` for none).

A stage is due on a calendar day: the day the SME entered it, in its launchpad's time
zone, plus the duration in calendar months or days (entered 31 January + 1 month = due 28
February). It is overdue from the next day on. ``overdue_q`` selects exactly those SMEs in
one query: adding months to a day never goes backwards, so for each stage there is a last
entry day that is already overdue today, and the filter is "entered before the next day
began".
"""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db.models import Q
from django.utils import timezone

# The launchpads' time zones (journey.models.Launchpad.time_zone takes its choices from here).
TIME_ZONES = ["Europe/London", "Europe/Paris"]

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

_ONE_DAY = datetime.timedelta(days=1)


def durations() -> dict[str, relativedelta]:
    merged = {**DEFAULT_DURATIONS, **getattr(settings, "JOURNEY_STAGE_DURATIONS", {})}
    return {stage: relativedelta(**value) for stage, value in merged.items() if value}


def due_on(stage: str, entered_at: datetime.datetime, time_zone: str) -> datetime.date | None:
    """The day the stage should be over, or None for a stage without a reference duration."""
    duration = durations().get(stage)
    if not duration:
        return None
    return entered_at.astimezone(ZoneInfo(time_zone)).date() + duration


def is_overdue(
    stage: str, entered_at: datetime.datetime, time_zone: str, *, now: datetime.datetime | None = None
) -> bool:
    due = due_on(stage, entered_at, time_zone)
    if due is None:
        return False
    return (now or timezone.now()).astimezone(ZoneInfo(time_zone)).date() > due


def days_overdue(
    stage: str, entered_at: datetime.datetime, time_zone: str, *, now: datetime.datetime | None = None
) -> int:
    """How many days past its due day the stage is (0 when on time or without a reference duration)."""
    due = due_on(stage, entered_at, time_zone)
    if due is None:
        return 0
    today = (now or timezone.now()).astimezone(ZoneInfo(time_zone)).date()
    return max((today - due).days, 0)


def _last_overdue_entry_day(today: datetime.date, duration: relativedelta) -> datetime.date:
    """The latest entry day whose due day is before ``today`` (day + duration never decreases as day grows)."""
    day = today - duration
    while day + duration >= today:
        day -= _ONE_DAY
    while day + _ONE_DAY + duration < today:
        day += _ONE_DAY
    return day


def overdue_q(*, now: datetime.datetime | None = None) -> Q:
    """A filter for the SMEs whose current stage is past its due day: exactly those ``SME.is_overdue`` marks."""
    now = now or timezone.now()
    condition = Q(pk__in=[])
    for name in TIME_ZONES:
        zone = ZoneInfo(name)
        today = now.astimezone(zone).date()
        for stage, duration in durations().items():
            next_day = _last_overdue_entry_day(today, duration) + _ONE_DAY
            cutoff = datetime.datetime.combine(next_day, datetime.time.min, tzinfo=zone)
            condition |= Q(launchpad__time_zone=name, stage=stage, stage_entered_at__lt=cutoff)
    return condition
