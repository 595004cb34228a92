"""Learning's figures for the quarterly reviews: courses completed and badges awarded, as of a date."""

from __future__ import annotations

from collections import Counter

from django.utils.translation import gettext

from learning.models import BadgeAward, Enrolment
from reporting import programme as reporting


def learning_tables(scope: reporting.Scope) -> list[reporting.Table]:
    completed, completed_in, awarded, awarded_in, revoked = (Counter() for _n in range(5))
    for launchpad in scope.launchpads:
        start, end, code = scope.period_start(launchpad), scope.as_of(launchpad), launchpad.code
        done = Enrolment.objects.filter(sme__launchpad=launchpad, completed_at__lt=end)
        completed[code] = done.values("sme_id", "course_id").distinct().count()
        completed_in[code] = done.filter(completed_at__gte=start).values("sme_id", "course_id").distinct().count()
        awards = BadgeAward.objects.filter(sme__launchpad=launchpad, awarded_at__lt=end)
        awarded[code] = awards.count()
        awarded_in[code] = awards.filter(awarded_at__gte=start).count()
        revoked[code] = awards.filter(revoked_at__lt=end).count()
    return [
        reporting.Table(
            key="courses",
            title=gettext("Courses completed"),
            rows=[
                reporting.counts_row(scope, "in_period", gettext("In the quarter"), completed_in),
                reporting.counts_row(scope, "to_date", gettext("Since the start"), completed),
            ],
            note=gettext("One per SME and course, however many of its people took it."),
        ),
        reporting.Table(
            key="badges",
            title=gettext("Badges awarded"),
            rows=[
                reporting.counts_row(scope, "in_period", gettext("In the quarter"), awarded_in),
                reporting.counts_row(scope, "to_date", gettext("Since the start"), awarded),
                reporting.counts_row(scope, "revoked", gettext("Revoked since the start"), revoked),
            ],
        ),
    ]
