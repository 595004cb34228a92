"""Fixtures for learning: a small bilingual course (two lessons and a quiz) with its badge."""

import pytest

from learning.models import CourseIndexPage, CoursePage, LessonPage, QuizPage
from tests.journey.factories import AccountManagerFactory, LaunchpadFactory, SMEFactory, SMEUserFactory
from tests.learning.factories import BadgeClassFactory, CriterionFactory, question


@pytest.fixture
def course_index(home_page):
    index = CourseIndexPage(
        title_en="Courses",
        title_fr="Formations",
        slug="courses",
        intro_en="Short courses.",
        intro_fr="Des formations courtes.",
    )
    home_page.add_child(instance=index)
    index.save_revision().publish()
    return index


@pytest.fixture
def badge(db):
    return BadgeClassFactory(opens_tool="market")


@pytest.fixture
def course(course_index, badge):
    course = CoursePage(
        title_en="Stock basics",
        title_fr="Les bases du stock",
        slug="stock",
        summary_en="Keep your catalogue clean.",
        summary_fr="Tenez votre catalogue propre.",
        estimated_minutes=15,
        badge=badge,
    )
    course_index.add_child(instance=course)
    course.save_revision().publish()
    for number in (1, 2):
        lesson = LessonPage(
            title_en=f"Lesson {number}",
            title_fr=f"Leçon {number}",
            slug=f"lesson-{number}",
            body_en=[
                ("text", f"<p>English lesson {number}.</p>"),
                ("callout", {"tone": "tip", "text": "<p>Count twice.</p>"}),
            ],
            body_fr=[("text", f"<p>Leçon française {number}.</p>")],
        )
        course.add_child(instance=lesson)
        lesson.save_revision().publish()
    quiz = QuizPage(
        title_en="Quiz",
        title_fr="Quiz",
        slug="quiz",
        pass_mark=50,
        questions_en=[
            question(
                "Which is a SKU?", ["A product code", "A colour"], {0}, explanation="A SKU identifies one product."
            ),
            question("Pick the costs", ["Postage", "Packaging", "Your name"], {0, 1}, multiple=True),
        ],
        questions_fr=[
            question("Qu'est-ce qu'une référence ?", ["Un code produit", "Une couleur"], {0}),
            question("Choisissez les coûts", ["Port", "Emballage", "Votre nom"], {0, 1}, multiple=True),
        ],
    )
    course.add_child(instance=quiz)
    quiz.save_revision().publish()
    CriterionFactory(badge_class=badge, course=course)
    return CoursePage.objects.get(pk=course.pk)


@pytest.fixture
def launchpad(db):
    return LaunchpadFactory()


@pytest.fixture
def sme(launchpad):
    return SMEFactory(launchpad=launchpad)


@pytest.fixture
def learner(sme):
    return SMEUserFactory(sme=sme)


@pytest.fixture
def manager(sme):
    person = AccountManagerFactory(launchpad=sme.launchpad)
    sme.primary_account_manager = person
    sme.save()
    return person


@pytest.fixture
def award(learner, badge):
    from learning import services

    award, _ = services.badge_award(badge_class=badge, sme=learner.sme)
    return award
