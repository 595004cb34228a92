"""Reads of learning: which courses a reader sees, progress, badges held, what opens a locked tool."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from journey.models import SME, MarketOrientation, Role

from .models import (
    Audience,
    BadgeAward,
    BadgeClass,
    CourseIndexPage,
    CoursePage,
    Enrolment,
    LessonPage,
    QuizAttempt,
    QuizPage,
    valid_awards,
)


def courses_for_sme(sme: SME | None) -> QuerySet[CoursePage]:
    """Live courses for this SME: its launchpad's or both, for its kind of customers or every business."""
    courses = CoursePage.objects.live().order_by("path")
    if sme is None:
        return courses
    courses = courses.filter(Q(launchpad__isnull=True) | Q(launchpad_id=sme.launchpad_id))
    if sme.market_orientation != MarketOrientation.BOTH:
        courses = courses.filter(audience__in=[Audience.BOTH, sme.market_orientation])
    return courses


def _learner_sme(user) -> SME | None:
    if user.is_authenticated and user.role == Role.SME_USER:
        return user.sme
    return None


@dataclass
class LessonState:
    lesson: LessonPage
    done: bool
    current: bool


@dataclass
class CourseProgress:
    """Where one learner is in one course."""

    course: CoursePage
    enrolment: Enrolment | None
    lessons: list[LessonState] = field(default_factory=list)
    quiz: QuizPage | None = None
    best_attempt: QuizAttempt | None = None
    attempts: int = 0

    @property
    def enrolled(self) -> bool:
        return self.enrolment is not None

    @property
    def completed(self) -> bool:
        return bool(self.enrolment and self.enrolment.completed_at)

    @property
    def quiz_passed(self) -> bool:
        return bool(self.best_attempt and self.best_attempt.passed)

    @property
    def steps_total(self) -> int:
        return len(self.lessons) + (1 if self.quiz else 0)

    @property
    def steps_done(self) -> int:
        return sum(1 for state in self.lessons if state.done) + (1 if self.quiz_passed else 0)

    @property
    def percent(self) -> int:
        return round(100 * self.steps_done / self.steps_total) if self.steps_total else 0

    @property
    def resume_page(self):
        """Where to carry on: the next lesson not done from the last one seen, else the first, else the quiz."""
        if not self.enrolled:
            return None
        pending = [state.lesson for state in self.lessons if not state.done]
        last = self.enrolment.last_lesson_id
        if last:
            positions = [state.lesson.pk for state in self.lessons]
            if last in positions:
                after = [state.lesson for state in self.lessons[positions.index(last) :] if not state.done]
                if after:
                    return after[0]
        if pending:
            return pending[0]
        if self.quiz and not self.quiz_passed:
            return self.quiz
        return None


def progress_for_enrolment(course: CoursePage, enrolment: Enrolment | None) -> CourseProgress:
    lessons = list(course.lessons())
    done = set(enrolment.completions.values_list("lesson_id", flat=True)) if enrolment else set()
    last = enrolment.last_lesson_id if enrolment else None
    progress = CourseProgress(
        course=course,
        enrolment=enrolment,
        lessons=[LessonState(lesson, lesson.pk in done, lesson.pk == last) for lesson in lessons],
        quiz=course.quiz(),
    )
    if enrolment and progress.quiz:
        attempts = enrolment.attempts.filter(quiz=progress.quiz)
        progress.attempts = attempts.count()
        progress.best_attempt = attempts.order_by("-score", "-created_at").first()
    return progress


def course_progress(*, user, course: CoursePage) -> CourseProgress:
    """The reader's progress in a course (an empty one when they are not an enrolled SME user)."""
    enrolment = None
    if _learner_sme(user) is not None:
        enrolment = Enrolment.objects.filter(user=user, course=course).first()
    return progress_for_enrolment(course, enrolment)


def course_cards(*, user, index=None) -> list[CourseProgress]:
    """The courses the reader sees on the index (theirs when an SME user), with their progress."""
    sme = _learner_sme(user)
    courses = courses_for_sme(sme)
    if index is not None:
        courses = courses.child_of(index)
    courses = courses.select_related("badge")
    enrolments = {}
    if sme is not None:
        enrolments = {e.course_id: e for e in Enrolment.objects.filter(user=user, course__in=courses)}
    return [progress_for_enrolment(course, enrolments.get(course.pk)) for course in courses]


@dataclass
class SMELearning:
    enrolments: list[CourseProgress]
    awards: list[BadgeAward]


def sme_learning(sme: SME) -> SMELearning:
    """Every enrolment of the SME's users with its progress, and every award (valid or not)."""
    enrolments = Enrolment.objects.filter(sme=sme).select_related("user", "course").order_by("user_id", "enrolled_at")
    awards = BadgeAward.objects.filter(sme=sme).select_related(
        "badge_class", "sme__launchpad", "awarded_by", "revoked_by"
    )
    return SMELearning(
        enrolments=[progress_for_enrolment(e.course, e) for e in enrolments],
        awards=list(awards),
    )


def course_index_url() -> str | None:
    """Where the course list is (the first live course index), or None before one is published."""
    index = CourseIndexPage.objects.live().first()
    return index.url if index else None


def badge_classes_opening(tool: str) -> QuerySet[BadgeClass]:
    return BadgeClass.objects.filter(opens_tool=tool).order_by("name")


def unlock_hint(sme: SME, tool: str) -> str | None:
    """For the toolkit's locked tools: which badge opens this one, and which course earns it."""
    held = set(valid_awards().filter(sme=sme).values_list("badge_class_id", flat=True))
    classes = [badge for badge in badge_classes_opening(tool) if badge.pk not in held]
    if not classes:
        return None
    badge = classes[0]
    course = courses_for_sme(sme).filter(badge=badge).first()
    if course is not None:
        return _("Earn the “%(badge)s” badge by completing the course “%(course)s”.") % {
            "badge": badge.name,
            "course": course.title,
        }
    return _("Earn the “%(badge)s” badge.") % {"badge": badge.name}


def badge_classes_awarded(badge_classes) -> list[BadgeClass]:
    """Those of ``badge_classes`` that have been awarded at least once (their awards keep them)."""
    pks = [badge_class.pk for badge_class in badge_classes if isinstance(badge_class, BadgeClass)]
    return list(BadgeClass.objects.filter(pk__in=pks, awards__isnull=False).distinct().order_by("name"))
