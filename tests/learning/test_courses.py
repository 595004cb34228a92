"""Course pages in both languages; enrolment, progress, resuming, quizzes and completion."""

import pytest

from learning.models import CoursePage, Enrolment, LessonPage, QuizAttempt, QuizPage
from learning.selectors import course_progress
from tests.journey.factories import LaunchpadFactory, SMEUserFactory

pytestmark = pytest.mark.django_db


def lessons(course):
    return list(LessonPage.objects.child_of(course).order_by("path"))


def test_pages_render_in_both_languages(client, course):
    english = client.get("/en/courses/")
    french = client.get("/fr/courses/")
    assert english.status_code == french.status_code == 200
    assert "Stock basics" in english.text and "Keep your catalogue clean." in english.text
    assert "Les bases du stock" in french.text and "Tenez votre catalogue propre." in french.text
    lesson = client.get("/fr/courses/stock/lesson-1/")
    assert "Leçon française 1." in lesson.text
    assert "English lesson 1." in client.get("/en/courses/stock/lesson-1/").text
    assert "Count twice." in client.get("/en/courses/stock/lesson-1/").text
    quiz = client.get("/fr/courses/stock/quiz/")
    assert quiz.status_code == 200 and "Quiz" in quiz.text


def test_enrol_progress_resume_and_complete(client, course, learner, django_capture_on_commit_callbacks):
    first, second = lessons(course)
    client.force_login(learner)
    response = client.post("/en/courses/stock/")
    assert response.status_code == 302 and response.url == first.url
    enrolment = Enrolment.objects.get(user=learner, course=course)
    assert enrolment.sme == learner.sme

    client.get(first.url)
    response = client.post(first.url)
    assert response.url == second.url
    client.get(second.url)
    progress = course_progress(user=learner, course=course)
    assert (progress.steps_done, progress.steps_total) == (1, 3)
    assert progress.resume_page.pk == second.pk
    page = client.get("/en/courses/stock/")
    assert 'data-testid="resume"' in page.text and second.url in page.text

    client.post(second.url)
    progress = course_progress(user=learner, course=course)
    assert progress.resume_page.specific_class is QuizPage or isinstance(progress.resume_page, QuizPage)
    assert not Enrolment.objects.get(pk=enrolment.pk).completed_at

    # A failed attempt is kept and explained; it does not complete the course.
    response = client.post("/en/courses/stock/quiz/", {"q1": "1", "q2": ["0"]})
    assert response.status_code == 200
    assert "A SKU identifies one product." in response.text
    assert not Enrolment.objects.get(pk=enrolment.pk).completed_at

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/en/courses/stock/quiz/", {"q1": "0", "q2": ["0", "1"]})
    assert 'data-testid="quiz-result"' in response.text
    attempts = list(QuizAttempt.objects.filter(enrolment=enrolment).order_by("created_at", "pk"))
    assert [(a.score, a.passed) for a in attempts] == [(0, False), (100, True)]
    assert Enrolment.objects.get(pk=enrolment.pk).completed_at is not None
    assert course_progress(user=learner, course=course).percent == 100


def test_quiz_scoring_and_language(client, course, learner):
    quiz = QuizPage.objects.get()
    client.force_login(learner)
    client.post("/fr/courses/stock/")
    # One question right out of two: 50 %, the pass mark; a partial multiple choice counts as wrong.
    client.post("/fr/courses/stock/quiz/", {"q1": "0", "q2": ["0"]})
    attempt = QuizAttempt.objects.get()
    assert (attempt.score, attempt.passed, attempt.language, attempt.answers) == (50, True, "fr", [[0], [0]])
    assert attempt.quiz == quiz


def test_unanswered_question_is_refused_with_a_message(client, course, learner):
    client.force_login(learner)
    client.post("/en/courses/stock/")
    response = client.post("/en/courses/stock/quiz/", {"q1": "0"})
    assert response.status_code == 400
    assert "Answer question 2." in response.text
    assert not QuizAttempt.objects.exists()


def test_lesson_progress_needs_an_enrolment(client, course, learner):
    first = lessons(course)[0]
    client.force_login(learner)
    response = client.post(first.url)
    assert response.status_code == 302 and response.url == course.url
    assert not Enrolment.objects.exists()


def test_staff_and_visitors_read_but_do_not_enrol(client, course, manager):
    response = client.post("/en/courses/stock/")
    assert response.status_code == 302 and not Enrolment.objects.exists()
    client.force_login(manager)
    page = client.get("/en/courses/stock/")
    assert page.status_code == 200 and 'data-testid="enrol"' not in page.text
    client.post("/en/courses/stock/")
    assert not Enrolment.objects.exists()


def test_a_course_of_the_other_launchpad_is_not_offered(client, course, learner):
    CoursePage.objects.filter(pk=course.pk).update(launchpad=LaunchpadFactory(france=True))
    client.force_login(learner)
    assert "Stock basics" not in client.get("/en/courses/").text
    client.post("/en/courses/stock/")
    assert not Enrolment.objects.exists()


def test_an_sme_user_sees_only_their_own_progress(client, course, learner):
    client.force_login(learner)
    client.post("/en/courses/stock/")
    other = SMEUserFactory()
    client.force_login(other)
    assert course_progress(user=other, course=course).enrolment is None
    assert 'data-testid="course-progress"' not in client.get("/en/courses/stock/").text
    assert client.get(f"/en/portal/learning/smes/{learner.sme.slug}/").status_code == 404


def test_editors_get_the_page_forms_in_the_admin(client, course):
    from tests.journey.factories import UserFactory

    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    index = course.get_parent()
    for model, parent in (("coursepage", index), ("lessonpage", course)):
        form = client.get(f"/admin/pages/add/learning/{model}/{parent.pk}/")
        assert form.status_code == 200, model
        assert "title_fr" in form.text
    # One quiz per course: the course already has its quiz, so another is refused.
    assert client.get(f"/admin/pages/add/learning/quizpage/{course.pk}/").status_code in (302, 403)
    edit = client.get(f"/admin/pages/{course.pk}/edit/")
    assert edit.status_code == 200 and "summary_fr" in edit.text


def test_passing_the_quiz_with_lessons_left_says_what_is_left_and_leads_on(client, course, learner):
    """A learner who passed with 100 % saw "Try again" and "2 of 4 steps done" (issue 18)."""
    first, second = lessons(course)
    client.force_login(learner)
    client.post("/en/courses/stock/")
    client.post(first.url)
    response = client.post("/en/courses/stock/quiz/", {"q1": "0", "q2": ["0", "1"]})
    page = response.text
    assert "Passed with 100 %" in page
    assert "2 of 3 steps done (67 %)" in page
    assert "One lesson is left to read to complete the course" in page and second.url in page
    assert "Completing the course earns the “Stock basics” badge." in page
    assert f'href="{second.url}" data-testid="quiz-next-button"' in page
    assert ">Try again<" not in page and "Take the quiz again" in page


def test_completing_the_course_through_the_quiz_leads_to_the_tool_it_opens_in_french(
    client, course, learner, django_capture_on_commit_callbacks
):
    first, second = lessons(course)
    client.force_login(learner)
    client.post("/fr/courses/stock/")
    client.post(first.url.replace("/en/", "/fr/"))
    client.post(second.url.replace("/en/", "/fr/"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/fr/courses/stock/quiz/", {"q1": "0", "q2": ["0", "1"]})
    page = response.text
    assert 'data-percent="100"' in page and "Vous avez terminé la formation." in page
    tool = f"/fr/portal/smes/{learner.sme.slug}/toolkit/market/"
    assert f'href="{tool}" data-testid="quiz-next-button"' in page


def test_one_step_done_is_singular_in_french(client, course, learner):
    first, _second = lessons(course)
    client.force_login(learner)
    client.post("/fr/courses/stock/")
    client.post(first.url.replace("/en/", "/fr/"))
    page = client.get("/fr/portal/learning/").text
    assert "1 étape sur 3 terminée (33 %)" in page
    assert "Reprendre là où vous vous êtes arrêté" in page
