"""The demo courses and badges: four real bilingual courses, idempotent loading, demo progress."""

import pytest

from journey.models import SME
from learning import demo, demo_content
from learning.models import BadgeAward, BadgeClass, CoursePage, Enrolment, LessonPage, QuizPage
from tests.journey.factories import SMEUserFactory
from toolkit.services import tools_open

pytestmark = pytest.mark.django_db


def test_four_bilingual_courses_with_lessons_quizzes_and_badges(home_page, client):
    learner = SMEUserFactory()
    SME.objects.filter(pk=learner.sme_id).update(stage="intensive")
    first = demo.load()
    counts = (
        CoursePage.objects.count(),
        LessonPage.objects.count(),
        QuizPage.objects.count(),
        BadgeClass.objects.count(),
    )
    assert counts == (4, 12, 4, len(demo_content.BADGES)) and first["courses"] == 4
    enrolments = Enrolment.objects.count()
    # Loading again duplicates nothing and awards nothing new.
    assert demo.load()["awarded"] == 0
    again = (
        CoursePage.objects.count(),
        LessonPage.objects.count(),
        QuizPage.objects.count(),
        BadgeClass.objects.count(),
    )
    assert again == counts and Enrolment.objects.count() == enrolments

    tools = {course.badge.opens_tool for course in CoursePage.objects.select_related("badge")}
    assert tools == {"market", "planning", "growth", ""}
    for page in LessonPage.objects.all():
        assert page.body_en and page.body_fr and page.title_en != page.title_fr
        assert "lorem" not in (str(page.body_en) + str(page.body_fr)).lower()
    for quiz in QuizPage.objects.all():
        assert len(quiz.questions_en) == len(quiz.questions_fr) >= 4
        for english, french in zip(quiz.questions_en, quiz.questions_fr, strict=True):
            assert english.value["explanation"] and french.value["explanation"]
            assert [c["correct"] for c in english.value["choices"]] == [c["correct"] for c in french.value["choices"]]

    # The intensive-stage SME's user completed the first two courses: two badges, the market tool open.
    sme = learner.sme
    assert Enrolment.objects.filter(user=learner, completed_at__isnull=False).count() == 2
    assert set(BadgeAward.objects.filter(sme=sme).values_list("badge_class__slug", flat=True)) == {
        "catalogue-keeper",
        "market-scout",
    }
    assert "market" in tools_open(sme) and "planning" not in tools_open(sme)

    # Every lesson renders for the learner in both languages, "try it on your data" included.
    client.force_login(learner)
    for page in LessonPage.objects.all():
        for language in ("en", "fr"):
            response = client.get(f"/{language}{page.url[3:]}")
            assert response.status_code == 200, (page.slug, language)
    french = client.get("/fr/courses/inventory-basics/why-the-catalogue-comes-first/")
    assert "Un produit, une référence" in french.text
    assert client.get("/fr/courses/").status_code == 200
    assert "Trouver votre prochain marché" in client.get("/fr/courses/").text
