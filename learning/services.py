"""Writes of learning: enrolment and progress, quiz attempts, badge awards and revocations, unlocking."""

from __future__ import annotations

import datetime
import logging
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from journey import scoping
from journey.models import SME, Role, User
from journey.tasks import email_send
from toolkit import services as toolkit_services
from toolkit.models import ToolAccess

from . import criteria, emails, openbadges
from .models import (
    AwardStatus,
    BadgeAward,
    BadgeClass,
    CoursePage,
    Enrolment,
    LessonCompletion,
    LessonPage,
    QuizAttempt,
    QuizPage,
    valid_awards,
)

logger = logging.getLogger(__name__)

VIA_BADGE = "badge"


# ---------------------------------------------------------------------------
# Courses


def enrolment_start(*, user: User, course: CoursePage) -> Enrolment:
    """Enrol an SME user in a course (idempotent: enrolling again returns the same enrolment)."""
    if user.role != Role.SME_USER or user.sme_id is None:
        raise PermissionDenied(_("Only a company's own users can enrol in a course."))
    enrolment, _created = Enrolment.objects.get_or_create(user=user, course=course, defaults={"sme_id": user.sme_id})
    return enrolment


def lesson_visit(*, enrolment: Enrolment, lesson: LessonPage) -> Enrolment:
    """Remember the lesson the learner is on, so the course page offers to resume there."""
    enrolment.last_lesson = lesson
    enrolment.last_seen_at = timezone.now()
    enrolment.save(update_fields=["last_lesson", "last_seen_at"])
    return enrolment


def lesson_complete(*, enrolment: Enrolment, lesson: LessonPage) -> bool:
    """Mark a lesson done; returns whether this completed the course."""
    LessonCompletion.objects.get_or_create(enrolment=enrolment, lesson=lesson)
    lesson_visit(enrolment=enrolment, lesson=lesson)
    return course_check_completion(enrolment=enrolment)


def quiz_score(quiz: QuizPage, answers: list[list[int]]) -> tuple[int, list[bool]]:
    """The score in percent and, per question, whether it was answered exactly right.

    A question counts only when the chosen answers are exactly the right ones (for a
    multiple-choice question: every right answer and no wrong one).
    """
    questions = [block.value for block in quiz.questions]
    results = []
    for position, question in enumerate(questions):
        right = {index for index, choice in enumerate(question["choices"]) if choice["correct"]}
        given = set(answers[position]) if position < len(answers) else set()
        results.append(given == right)
    score = round(100 * sum(results) / len(results)) if results else 0
    return score, results


def quiz_attempt_submit(
    *, enrolment: Enrolment, quiz: QuizPage, answers: list[list[int]], language: str
) -> QuizAttempt:
    """Score and keep an attempt; a pass may complete the course, and may earn badges."""
    score, _results = quiz_score(quiz, answers)
    attempt = QuizAttempt.objects.create(
        enrolment=enrolment,
        quiz=quiz,
        answers=answers,
        language=language,
        score=score,
        passed=score >= quiz.pass_mark,
    )
    if not course_check_completion(enrolment=enrolment):
        # The attempt alone may meet a "quiz passed" criterion.
        badges_evaluate_after_commit(sme_id=enrolment.sme_id)
    return attempt


def course_is_complete(enrolment: Enrolment) -> bool:
    course = enrolment.course
    lesson_ids = set(course.lessons().values_list("pk", flat=True))
    done = set(enrolment.completions.values_list("lesson_id", flat=True))
    if not lesson_ids <= done:
        return False
    quiz = course.quiz()
    return quiz is None or enrolment.attempts.filter(quiz=quiz, passed=True).exists()


def course_check_completion(*, enrolment: Enrolment) -> bool:
    """Record the course as completed when every lesson is done and the quiz (if any) passed.

    Returns True when this call completed it (then badges are evaluated).
    """
    if enrolment.completed_at or not course_is_complete(enrolment):
        return False
    enrolment.completed_at = timezone.now()
    enrolment.save(update_fields=["completed_at"])
    badges_evaluate_after_commit(sme_id=enrolment.sme_id)
    return True


# ---------------------------------------------------------------------------
# Badges


def _recipient(sme: SME, preferred: User | None) -> tuple[User | None, str]:
    """Who the assertion names: the learner who earned it, else the SME's first user, else its main contact."""
    if preferred is not None and preferred.email:
        return preferred, preferred.email
    user = User.objects.filter(sme=sme, is_active=True).order_by("pk").first()
    if user is not None:
        return user, user.email
    contact = sme.contacts.exclude(email="").order_by("-is_primary", "pk").first()
    return None, contact.email if contact else ""


def _create_award(
    *, badge_class: BadgeClass, sme: SME, recipient: User | None, by: User | None, reason: str
) -> tuple[BadgeAward, bool]:
    user, email = _recipient(sme, recipient)
    if not email:
        raise ValidationError(
            _("%(sme)s has no user or contact with an e-mail address to name on the badge.") % {"sme": sme.name}
        )
    now = timezone.now()
    for _attempt in range(5):
        try:
            with transaction.atomic():
                award = BadgeAward.objects.create(
                    badge_class=badge_class,
                    sme=sme,
                    recipient=user,
                    recipient_email=email,
                    salt=secrets.token_hex(16),
                    awarded_at=now,
                    awarded_by=by,
                    reason=reason,
                    expires_at=badge_class.expiry_for(now),
                    status_index=openbadges.status_index_new(),
                )
        except IntegrityError:
            # Another event awarded it at the same moment: the one current award stands.
            existing = BadgeAward.objects.filter(badge_class=badge_class, sme=sme, current=True).first()
            if existing is not None:
                return existing, False
            # Otherwise another award drew the same status-list position: draw again.
            continue
        return award, True
    raise IntegrityError("No free status-list position after five draws.")


@transaction.atomic
def badge_award(
    *,
    badge_class: BadgeClass,
    sme: SME,
    by: User | None = None,
    reason: str = "",
    recipient: User | None = None,
    renew: bool = False,
) -> tuple[BadgeAward, bool]:
    """Award a badge to an SME; returns ``(award, created)``. Idempotent.

    With ``by`` it is an account manager's award: they must be allowed to change the SME
    (its launchpad's staff, not the other launchpad's) and give a reason; they may award
    again a badge that was revoked or has expired (the old award is kept, no longer
    current). Without ``by`` (criteria met) any current award stands: met criteria never
    hand back a revoked badge; an expired one is renewed only with ``renew`` (criteria met
    again by fresh evidence, see ``badges_evaluate``).
    """
    if by is not None:
        if not scoping.can_change_sme(by, sme):
            raise PermissionDenied(_("You may not award badges to this SME."))
        if not reason.strip():
            raise ValidationError(_("Give the reason for awarding this badge."))
    existing = BadgeAward.objects.select_for_update().filter(badge_class=badge_class, sme=sme, current=True).first()
    if existing is not None:
        status = existing.status()
        if status == AwardStatus.VALID or (by is None and not (renew and status == AwardStatus.EXPIRED)):
            return existing, False
        existing.current = False
        existing.save(update_fields=["current"])
    award, created = _create_award(badge_class=badge_class, sme=sme, recipient=recipient, by=by, reason=reason.strip())
    if created:
        logger.info("Badge %s awarded to SME %s", badge_class.slug, sme.pk)
        tool_access_sync(sme=sme)
        award_earned_email_after_commit(award_id=award.pk)
        if by is not None:
            # Holding this badge may complete a "badges held" criterion (automatic awards
            # are chained by badges_evaluate itself).
            badges_evaluate_after_commit(sme_id=sme.pk)
    return award, created


@transaction.atomic
def badge_revoke(*, award: BadgeAward, by: User, reason: str) -> BadgeAward:
    """Revoke an award with a reason; what it unlocked closes unless another valid badge keeps it open."""
    if not scoping.can_change_sme(by, award.sme):
        raise PermissionDenied(_("You may not revoke this SME's badges."))
    if not reason.strip():
        raise ValidationError(_("Give the reason for revoking this badge."))
    if award.revoked_at:
        return award
    award.revoked_at = timezone.now()
    award.revoked_by = by
    award.revocation_reason = reason.strip()
    award.save(update_fields=["revoked_at", "revoked_by", "revocation_reason"])
    tool_access_sync(sme=award.sme)
    return award


def badges_evaluate(*, sme: SME, now: datetime.datetime | None = None) -> list[BadgeAward]:
    """Award every automatic badge whose criteria the SME now meets; returns the new awards.

    Called (through a Celery task) when something that a criterion reads has happened: a
    course completed, a quiz attempt, a badge awarded, a data milestone moved. Badges are
    evaluated until nothing changes, so a badge that requires another is awarded in the
    same run. A valid or revoked award settles its badge; an expired one is renewed when
    its criteria are met again by evidence newer than it (a quiz passed again, a data
    milestone still reached, the badges it needs still held).
    """
    # Reconcile first: a badge may have expired since the last event.
    tool_access_sync(sme=sme, now=now)
    new: list[BadgeAward] = []
    changed = True
    while changed:
        changed = False
        moment = now or timezone.now()
        current = {award.badge_class_id: award for award in BadgeAward.objects.filter(sme=sme, current=True)}
        for badge_class in BadgeClass.objects.prefetch_related("criteria__badges"):
            existing = current.get(badge_class.pk)
            if existing is not None:
                if existing.status(moment) != AwardStatus.EXPIRED:
                    continue
                expiry = badge_class.expiry_for(moment)
                if expiry is not None and expiry <= moment:
                    continue  # a fixed date already past: a renewal would be born expired
            met, learner = criteria.evaluate(badge_class, sme, since=existing.awarded_at if existing else None)
            if not met:
                continue
            try:
                award, created = badge_award(
                    badge_class=badge_class, sme=sme, recipient=learner, renew=existing is not None
                )
            except ValidationError as error:
                logger.warning("Badge %s not awarded to SME %s: %s", badge_class.slug, sme.pk, error.messages[0])
                continue
            if created:
                new.append(award)
                changed = True
    return new


# ---------------------------------------------------------------------------
# Telling the holders: on earning, and a month before expiry (each e-mail once)

EXPIRY_WARNING = datetime.timedelta(days=30)


def _send(email: emails.Email) -> None:
    email_send.delay(subject=email.subject, body=email.body, to=[email.to], html_body=email.html_body)


def award_earned_email_send(*, award_id: int) -> int:
    """E-mail the SME's users that the badge is theirs; returns how many were sent (0 when already sent).

    The award is claimed (``earned_email_sent_at``) before sending, so reruns never send twice.
    A badge revoked before the e-mail left is not announced.
    """
    award = (
        BadgeAward.objects.select_related("badge_class", "sme__launchpad", "sme__primary_account_manager")
        .filter(pk=award_id, revoked_at__isnull=True)
        .first()
    )
    if award is None:
        return 0
    claimed = BadgeAward.objects.filter(pk=award.pk, earned_email_sent_at__isnull=True).update(
        earned_email_sent_at=timezone.now()
    )
    if not claimed:
        return 0
    messages = emails.earned_emails(award)
    for email in messages:
        _send(email)
    return len(messages)


def award_earned_email_after_commit(*, award_id: int) -> None:
    from .tasks import award_earned_email_task

    transaction.on_commit(lambda: award_earned_email_task.delay(award_id))


def awards_expiry_warn(*, now: datetime.datetime | None = None) -> int:
    """Warn the holders of every valid badge expiring within 30 days (run daily); returns the e-mails sent.

    Idempotent: an award is claimed (``expiry_warning_sent_at``) before its e-mails go, so
    it is warned once whatever reruns; a renewed badge is a new award with its own warning.
    """
    now = now or timezone.now()
    due = (
        valid_awards(now)
        .filter(expires_at__lte=now + EXPIRY_WARNING, expiry_warning_sent_at__isnull=True)
        .select_related("badge_class", "sme__launchpad", "sme__primary_account_manager")
        .order_by("expires_at", "pk")
    )
    sent = 0
    for award in due:
        claimed = BadgeAward.objects.filter(pk=award.pk, expiry_warning_sent_at__isnull=True).update(
            expiry_warning_sent_at=now
        )
        if not claimed:
            continue
        for email in emails.expiry_warning_emails(award):
            _send(email)
            sent += 1
    return sent


def badges_evaluate_after_commit(*, sme_id: int) -> None:
    """Queue the evaluation once the event that may have met a criterion is committed."""
    from .tasks import badges_evaluate_task

    transaction.on_commit(lambda: badges_evaluate_task.delay(sme_id))


# ---------------------------------------------------------------------------
# Unlocking


def tools_unlocked_by_badges(sme: SME, now: datetime.datetime | None = None) -> dict[str, datetime.datetime | None]:
    """The tools the SME's valid badges open now, each until when (None: no end); revoked and expired open nothing."""
    until: dict[str, datetime.datetime | None] = {}
    awards = valid_awards(now).filter(sme=sme).exclude(badge_class__opens_tool="")
    for tool, expires_at in awards.values_list("badge_class__opens_tool", "expires_at"):
        if tool not in until:
            until[tool] = expires_at
        elif until[tool] is not None:
            until[tool] = None if expires_at is None else max(until[tool], expires_at)
    return until


@transaction.atomic
def tool_access_sync(*, sme: SME, now: datetime.datetime | None = None) -> set[str]:
    """Make the toolkit's access match the SME's valid badges; returns the tools badges open.

    Opens each tool a valid badge unlocks until the last such badge expires
    (``toolkit.services.tool_open``, via "badge"), and closes the access a badge had
    granted once no valid badge opens that tool (``toolkit.services.tool_close``). Access
    an account manager granted is never touched.
    """
    unlocked = tools_unlocked_by_badges(sme, now)
    for tool, expires_at in sorted(unlocked.items()):
        toolkit_services.tool_open(sme=sme, tool=tool, via=VIA_BADGE, expires_at=expires_at)
    for tool in (
        ToolAccess.objects.filter(sme=sme, via=VIA_BADGE).exclude(tool__in=unlocked).values_list("tool", flat=True)
    ):
        toolkit_services.tool_close(sme=sme, tool=tool, via=VIA_BADGE)
    return set(unlocked)


def awards_expire(*, now: datetime.datetime | None = None) -> int:
    """Withdraw what expired badges had unlocked, and renew those whose criteria are met again (run daily).

    Returns how many SMEs had tools to close.
    """
    now = now or timezone.now()
    expired = BadgeAward.objects.filter(current=True, revoked_at__isnull=True, expires_at__lte=now)
    sme_ids = set(expired.values_list("sme_id", flat=True).distinct())
    closing = sme_ids & set(ToolAccess.objects.filter(via=VIA_BADGE).values_list("sme_id", flat=True))
    for sme in SME.objects.filter(pk__in=closing):
        tool_access_sync(sme=sme, now=now)
    # A badge read from current data (a milestone, badges held) renews itself when still met.
    for sme in SME.objects.filter(pk__in=sme_ids):
        badges_evaluate(sme=sme, now=now)
    return len(closing)
