"""Due dates and the overdue flag of the journey's stages (DESIGN.md, "The SME journey"; journey.stages).

A stage with a reference duration is due on a calendar day: the day the SME entered it, in
its launchpad's time zone, plus the duration, months counted on the calendar (entered 31
January + 1 month = due 28 February, or 29 in a leap year). It is overdue from the next day.
Aftercare, paused and the final stages have none: never due, never overdue. ``overdue_q`` is
the database side of ``SME.is_overdue``: it must select exactly the SMEs the flag marks.

Expected dates are written out by hand.
"""

from __future__ import annotations

import datetime
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from journey.models import SME, Launchpad, Stage
from journey.stages import DEFAULT_DURATIONS, overdue_q

from .factories import LaunchpadFactory, SMEFactory

UTC = datetime.UTC
LONDON, PARIS = "Europe/London", "Europe/Paris"


def at(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=UTC)


def day(*args) -> datetime.date:
    return datetime.date(*args)


def local(zone: str, *args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=ZoneInfo(zone))


def an_sme(stage: str, entered: datetime.datetime, zone: str = LONDON) -> SME:
    """An unsaved SME at ``stage`` since ``entered`` (enough for the due date and the flag)."""
    return SME(name="Harbour Foods", stage=stage, stage_entered_at=entered, launchpad=Launchpad(time_zone=zone))


def frozen(now: datetime.datetime):
    return mock.patch.object(timezone, "now", return_value=now)


STAGES_WITHOUT_DURATION = ["aftercare", "paused", "completed", "ineligible", "declined", "withdrawn"]

ENTERED = at(2026, 1, 31, 10, 0)
# stage -> due day when entered on 31 January 2026 at 10:00 UTC in London (None: no reference duration).
EXPECTED_DUE = {
    "enquiry": day(2026, 2, 14),  # 14 days
    "screening": day(2026, 2, 28),  # 1 month: there is no 31 February
    "assessment": day(2026, 2, 28),  # 1 month, the first consultation
    "onboarding": day(2026, 5, 31),  # 4 months
    "data_collection": day(2026, 4, 30),  # 3 months: there is no 31 April
    "planning": day(2026, 2, 28),  # 1 month
    "intensive": day(2026, 5, 31),  # 4 months
    "growth_review": day(2026, 2, 28),  # 1 month
    "aftercare": None,
    "paused": None,
    "completed": None,
    "ineligible": None,
    "declined": None,
    "withdrawn": None,
}


def test_the_table_covers_every_stage():
    assert sorted(EXPECTED_DUE) == sorted(Stage.values)
    assert sorted(DEFAULT_DURATIONS) == sorted(set(Stage.values) - set(STAGES_WITHOUT_DURATION))


@pytest.mark.parametrize("stage", list(EXPECTED_DUE))
def test_due_date_of_each_stage(stage):
    assert an_sme(stage, ENTERED).stage_due_on == EXPECTED_DUE[stage]


@pytest.mark.parametrize(
    ("stage", "entered", "due"),
    [
        ("screening", at(2028, 1, 31, 10, 0), day(2028, 2, 29)),  # leap year
        ("screening", at(2026, 1, 28, 23, 59), day(2026, 2, 28)),
        ("screening", at(2026, 3, 31, 8, 15), day(2026, 4, 30)),
        ("assessment", at(2026, 12, 31, 17, 0), day(2027, 1, 31)),  # over the new year
        ("data_collection", at(2025, 11, 30, 9, 0), day(2026, 2, 28)),
        ("data_collection", at(2027, 11, 29, 9, 0), day(2028, 2, 29)),
        ("intensive", at(2026, 10, 31, 14, 0), day(2027, 2, 28)),
        ("onboarding", at(2026, 6, 15, 14, 30), day(2026, 10, 15)),
        ("enquiry", at(2026, 2, 20, 12, 0), day(2026, 3, 6)),  # 14 days across the end of February
        ("enquiry", at(2028, 2, 20, 12, 0), day(2028, 3, 5)),
        # British summer time: 23:30 UTC on 31 May is already 1 June in London.
        ("screening", at(2026, 5, 31, 23, 30), day(2026, 7, 1)),
    ],
)
def test_months_are_calendar_months(stage, entered, due):
    assert an_sme(stage, entered).stage_due_on == due


def test_the_day_is_the_launchpads_day():
    entered = at(2026, 1, 31, 23, 30)  # still 31 January in London, already 1 February in Paris
    assert an_sme("screening", entered, LONDON).stage_due_on == day(2026, 2, 28)
    assert an_sme("screening", entered, PARIS).stage_due_on == day(2026, 3, 1)


@pytest.mark.parametrize(
    ("now", "overdue"),
    [
        (at(2026, 2, 1, 0, 0), False),
        (at(2026, 2, 28, 10, 0), False),  # the due day: not yet overdue
        (at(2026, 2, 28, 23, 59, 59), False),
        (at(2026, 3, 1, 0, 0), True),  # the next day
        (at(2027, 1, 1), True),
    ],
)
def test_is_overdue_from_the_day_after_the_due_day(now, overdue):
    with frozen(now):
        assert an_sme("screening", ENTERED).is_overdue is overdue


@pytest.mark.parametrize("stage", STAGES_WITHOUT_DURATION)
def test_a_stage_without_duration_is_never_overdue(stage):
    with frozen(at(2040, 1, 1)):
        assert an_sme(stage, at(2020, 1, 1)).is_overdue is False


# --- overdue_q ------------------------------------------------------------------------------------


def _overdue_by_flag(now: datetime.datetime) -> set[str]:
    """The slugs of the SMEs, loaded from the database, whose flag is up at ``now``."""
    with frozen(now):
        return {sme.slug for sme in SME.objects.all() if sme.is_overdue}


def _overdue_by_query(now: datetime.datetime) -> set[str]:
    return set(SME.objects.filter(overdue_q(now=now)).values_list("slug", flat=True))


@pytest.mark.django_db
def test_overdue_q_on_a_small_pipeline():
    launchpad = LaunchpadFactory()
    cast = {
        "late-screening": ("screening", at(2026, 1, 10, 9, 0)),  # due 10 Feb
        "on-time-screening": ("screening", at(2026, 2, 10, 9, 0)),  # due 10 Mar
        "late-enquiry": ("enquiry", at(2026, 2, 1, 9, 0)),  # due 15 Feb
        "on-time-data": ("data_collection", at(2025, 12, 1, 9, 0)),  # due 1 Mar
        "late-data": ("data_collection", at(2025, 11, 1, 9, 0)),  # due 1 Feb
        "due-today": ("enquiry", at(2026, 2, 6, 9, 0)),  # due 20 Feb: not yet overdue
        "aftercare": ("aftercare", at(2020, 1, 1)),
        "withdrawn": ("withdrawn", at(2020, 1, 1)),
        "paused": ("paused", at(2020, 1, 1)),
    }
    for slug, (stage, entered) in cast.items():
        SMEFactory(slug=slug, launchpad=launchpad, stage=stage, stage_entered_at=entered)
    now = at(2026, 2, 20, 12, 0)
    expected = {"late-screening", "late-enquiry", "late-data"}
    assert _overdue_by_query(now) == expected
    assert _overdue_by_flag(now) == expected


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("stage", "entered", "zone", "due"),
    [
        # Entered on a day the due month does not have: due on its last day.
        ("screening", at(2026, 1, 31, 10, 0), LONDON, day(2026, 2, 28)),
        ("screening", at(2026, 1, 29, 10, 0), LONDON, day(2026, 2, 28)),
        ("screening", at(2028, 1, 31, 10, 0), LONDON, day(2028, 2, 29)),
        ("data_collection", at(2026, 1, 31, 8, 0), PARIS, day(2026, 4, 30)),
        ("intensive", at(2026, 10, 31, 8, 0), PARIS, day(2027, 2, 28)),
        ("screening", at(2026, 1, 31, 23, 30), PARIS, day(2026, 3, 1)),  # 1 February in Paris
    ],
)
def test_overdue_q_at_the_end_of_a_short_month(stage, entered, zone, due):
    """On the due day neither the flag nor the filter says overdue; from the next day both do."""
    launchpad = LaunchpadFactory(france=True) if zone == PARIS else LaunchpadFactory()
    SMEFactory(slug="month-end", launchpad=launchpad, stage=stage, stage_entered_at=entered)
    assert SME.objects.get(slug="month-end").stage_due_on == due
    last_moment = local(zone, due.year, due.month, due.day, 23, 59, 59)
    next_day = last_moment + datetime.timedelta(seconds=1)
    assert _overdue_by_flag(last_moment) == _overdue_by_query(last_moment) == set()
    assert _overdue_by_flag(next_day) == _overdue_by_query(next_day) == {"month-end"}


STAGE_NAMES = sorted(Stage.values)
# From 2025 to 2028: leap and common years; whole seconds, as people and forms set them.
_moments = st.datetimes(
    min_value=datetime.datetime(2025, 1, 1), max_value=datetime.datetime(2028, 12, 31), timezones=st.just(UTC)
).map(lambda moment: moment.replace(microsecond=0))


@st.composite
def _month_ends(draw):
    """The last days of a month, where calendar months are hardest (28 to 31)."""
    year = draw(st.integers(2025, 2028))
    month = draw(st.integers(1, 12))
    last = (datetime.date(year, month, 1) + relativedelta(months=1, days=-1)).day
    day = draw(st.integers(max(28, last - 3), last))
    return at(year, month, day, draw(st.integers(0, 23)), draw(st.sampled_from([0, 15, 30, 59])))


_entries = st.one_of(_moments, _month_ends())
_pipelines = st.lists(
    st.tuples(st.sampled_from(STAGE_NAMES), _entries, st.sampled_from([LONDON, PARIS])), min_size=1, max_size=6
)


@st.composite
def _pipeline_and_now(draw):
    """Some SMEs (in London or Paris), and a moment: anywhere, or within three days of one SME's due day."""
    pipeline = draw(_pipelines)
    timed = [(stage, entered, zone) for stage, entered, zone in pipeline if stage in DEFAULT_DURATIONS]
    if timed and draw(st.booleans()):
        stage, entered, zone = draw(st.sampled_from(timed))
        due = entered.astimezone(ZoneInfo(zone)).date() + relativedelta(**DEFAULT_DURATIONS[stage])
        overdue_from = datetime.datetime.combine(due + datetime.timedelta(days=1), datetime.time.min, ZoneInfo(zone))
        now = overdue_from + datetime.timedelta(minutes=draw(st.integers(-3 * 24 * 60, 3 * 24 * 60)))
    else:
        now = draw(_moments)
    return pipeline, now


@pytest.mark.django_db
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(_pipeline_and_now())
@example(([("screening", at(2026, 1, 31, 10, 0), LONDON)], at(2026, 3, 1, 0, 0)))
@example(
    (
        [("growth_review", at(2026, 5, 31, 23, 0), PARIS), ("enquiry", at(2026, 6, 1, 0, 0), LONDON)],
        at(2026, 6, 30, 23, 30),
    )
)
def test_overdue_q_selects_exactly_the_overdue_smes(case):
    """Property: at any moment, the filter and the flag agree on every SME.

    Hypothesis and pytest-django's function-scoped transaction do not reset between
    examples, so each example creates its SMEs and deletes them before it ends.
    """
    pipeline, now = case
    launchpads = {LONDON: LaunchpadFactory(), PARIS: LaunchpadFactory(france=True)}
    SME.objects.bulk_create(
        SME(
            name=f"SME {index}",
            slug=f"hypothesis-{index}",
            launchpad=launchpads[zone],
            country="GB",
            sector="food_drink",
            market_orientation="b2c",
            size="micro",
            shop_platform="shopify",
            stage=stage,
            stage_entered_at=entered,
        )
        for index, (stage, entered, zone) in enumerate(pipeline)
    )
    try:
        assert _overdue_by_query(now) == _overdue_by_flag(now)
    finally:
        SME.objects.filter(slug__startswith="hypothesis-").delete()


# --- JOURNEY_STAGE_DURATIONS ------------------------------------------------------------------------


def test_the_setting_overrides_a_duration(settings):
    settings.JOURNEY_STAGE_DURATIONS = {"onboarding": {"months": 3}}
    assert an_sme("onboarding", ENTERED).stage_due_on == day(2026, 4, 30)
    # The others keep their reference durations.
    assert an_sme("intensive", ENTERED).stage_due_on == day(2026, 5, 31)
    assert an_sme("enquiry", ENTERED).stage_due_on == day(2026, 2, 14)


def test_the_setting_can_give_a_stage_a_duration_or_take_it_away(settings):
    settings.JOURNEY_STAGE_DURATIONS = {"aftercare": {"months": 6}, "enquiry": {}, "planning": {"weeks": 2}}
    assert an_sme("aftercare", ENTERED).stage_due_on == day(2026, 7, 31)
    assert an_sme("enquiry", ENTERED).stage_due_on is None
    assert an_sme("planning", ENTERED).stage_due_on == day(2026, 2, 14)
    with frozen(at(2030, 1, 1)):
        assert an_sme("enquiry", ENTERED).is_overdue is False


@pytest.mark.django_db
def test_overdue_q_follows_the_setting(settings):
    launchpad = LaunchpadFactory()
    SMEFactory(slug="onboarding", launchpad=launchpad, stage="onboarding", stage_entered_at=ENTERED)
    SMEFactory(slug="aftercare", launchpad=launchpad, stage="aftercare", stage_entered_at=ENTERED)
    SMEFactory(slug="enquiry", launchpad=launchpad, stage="enquiry", stage_entered_at=ENTERED)
    now = at(2026, 5, 15, 12, 0)
    assert _overdue_by_query(now) == {"enquiry"}

    settings.JOURNEY_STAGE_DURATIONS = {"onboarding": {"months": 3}, "aftercare": {"months": 3}, "enquiry": {}}
    assert _overdue_by_query(now) == {"onboarding", "aftercare"}
    assert _overdue_by_flag(now) == {"onboarding", "aftercare"}
