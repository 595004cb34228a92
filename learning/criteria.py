"""Whether an SME meets a badge class's criteria (reads only; awarding is in ``services``)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from journey.models import SME, User
from toolkit import milestones

from .models import BadgeClass, BadgesMode, Criterion, CriterionKind, Enrolment, QuizAttempt, valid_awards


def criterion_met(criterion: Criterion, sme: SME, since: datetime.datetime | None = None) -> tuple[bool, User | None]:
    """Is this one criterion met by the SME, and by which learner (for course and quiz criteria)?

    With ``since`` (renewing an expired badge), a course or a quiz counts only when completed
    or passed after that moment: the evidence that earned the expired badge does not renew it.
    Badges held and data milestones are read as they are now, which is fresh evidence.
    """
    kind = criterion.kind
    if kind == CriterionKind.COURSE_COMPLETED:
        enrolments = Enrolment.objects.filter(sme=sme, course_id=criterion.course_id, completed_at__isnull=False)
        if since is not None:
            enrolments = enrolments.filter(completed_at__gt=since)
        enrolment = enrolments.select_related("user").order_by("completed_at").first()
        return enrolment is not None, enrolment.user if enrolment else None
    if kind == CriterionKind.QUIZ_PASSED:
        quiz = criterion.quiz
        if quiz is None:
            return False, None
        minimum = criterion.min_score if criterion.min_score is not None else quiz.pass_mark
        attempts = QuizAttempt.objects.filter(enrolment__sme=sme, quiz=quiz, passed=True, score__gte=minimum)
        if since is not None:
            attempts = attempts.filter(created_at__gt=since)
        attempt = attempts.select_related("enrolment__user").order_by("created_at").first()
        return attempt is not None, attempt.enrolment.user if attempt else None
    if kind == CriterionKind.BADGES_HELD:
        wanted = {badge.pk for badge in criterion.badges.all()}
        if not wanted:
            return False, None
        held = set(valid_awards().filter(sme=sme, badge_class_id__in=wanted).values_list("badge_class_id", flat=True))
        met = bool(held) if criterion.badges_mode == BadgesMode.ANY else held == wanted
        return met, None
    if kind == CriterionKind.MILESTONE:
        value = milestones.value(sme, criterion.milestone)
        if value is None or criterion.threshold is None:
            return False, None
        return Decimal(str(value)) >= criterion.threshold, None
    # "Awarded by an account manager": only their award meets it, never an evaluation.
    return False, None


def evaluate(badge_class: BadgeClass, sme: SME, since: datetime.datetime | None = None) -> tuple[bool, User | None]:
    """Every criterion met (a badge class without criteria is awarded by hand only)?

    Returns the learner whose course or quiz met a criterion, to name on the badge. With
    ``since``, courses and quizzes count only when done after it (see ``criterion_met``).
    """
    rules = list(badge_class.criteria.all())
    if not rules:
        return False, None
    learner = None
    for rule in rules:
        met, who = criterion_met(rule, sme, since)
        if not met:
            return False, None
        learner = learner or who
    return True, learner
