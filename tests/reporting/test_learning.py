"""Learning's section of the quarterly reviews: courses completed and badges, counted from their timestamps."""

import datetime

import pytest

from learning.models import BadgeAward, Enrolment
from reporting import programme as reporting

# Learning's own SME and course (they take the place of coaching's in this module).
from tests.learning.conftest import badge, course, course_index, launchpad, learner, sme  # noqa: F401

pytestmark = pytest.mark.django_db
UTC = datetime.UTC


def _rows(scope, key):
    tables = {table["key"]: table for section in reporting.figures(scope) for table in section["tables"]}
    return {row["key"]: row["total"] for row in tables[key]["rows"]}


def test_courses_and_badges_count_by_when_they_happened(learner, course, badge):  # noqa: F811
    from learning import services

    enrolment = Enrolment.objects.create(user=learner, sme=learner.sme, course=course)
    Enrolment.objects.filter(pk=enrolment.pk).update(completed_at=datetime.datetime(2026, 2, 10, 12, tzinfo=UTC))
    award, _created = services.badge_award(badge_class=badge, sme=learner.sme)
    BadgeAward.objects.filter(pk=award.pk).update(
        awarded_at=datetime.datetime(2026, 2, 11, 12, tzinfo=UTC),
        revoked_at=datetime.datetime(2026, 4, 2, 12, tzinfo=UTC),
    )
    launchpad = learner.sme.launchpad  # noqa: F811

    def scope(start, end):
        return reporting.Scope(launchpad.programme, start, end, (launchpad,))

    winter = scope(datetime.date(2026, 1, 1), datetime.date(2026, 3, 31))
    spring = scope(datetime.date(2026, 4, 1), datetime.date(2026, 6, 30))
    assert _rows(winter, "courses") == {"in_period": 1, "to_date": 1}
    assert _rows(spring, "courses") == {"in_period": 0, "to_date": 1}
    assert _rows(winter, "badges") == {"in_period": 1, "to_date": 1, "revoked": 0}
    assert _rows(spring, "badges") == {"in_period": 0, "to_date": 1, "revoked": 1}
    assert _rows(scope(datetime.date(2025, 10, 1), datetime.date(2025, 12, 31)), "badges")["to_date"] == 0
