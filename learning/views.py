"""Learning's pages: courses, lessons and quizzes (served by their Wagtail pages), the learner's
badges, the account manager's award and revoke, and the public Open Badges documents."""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from journey import scoping
from journey.models import Launchpad, Role

from . import openbadges, services
from .models import (
    AwardStatus,
    BadgeAward,
    BadgeClass,
    CoursePage,
    Enrolment,
    IssuerKey,
    LessonPage,
    QuizPage,
    valid_awards,
)
from .selectors import (
    course_cards,
    course_index_url,
    course_progress,
    courses_for_sme,
    progress_for_enrolment,
    sme_learning,
)

JSON_LD = "application/ld+json"


def _learner(request):
    """The signed-in SME user, or None (staff and visitors read courses without progress)."""
    user = request.user
    if user.is_authenticated and user.role == Role.SME_USER and user.sme_id:
        return user
    return None


def _enrolment(request, course: CoursePage) -> Enrolment | None:
    learner = _learner(request)
    return Enrolment.objects.filter(user=learner, course=course).first() if learner else None


def _may_follow(user, course: CoursePage) -> bool:
    return courses_for_sme(user.sme).filter(pk=course.pk).exists()


# ---------------------------------------------------------------------------
# Course, lesson and quiz pages (called from the pages' ``serve``)


def course_serve(request, *, page: CoursePage):
    if request.method == "POST":
        learner = _learner(request)
        if learner is None:
            messages.error(request, _("Sign in with your company account to enrol."))
            return redirect(page.url)
        if not _may_follow(learner, page):
            messages.error(request, _("This course is not offered to your company."))
            return redirect(page.url)
        services.enrolment_start(user=learner, course=page)
        progress = course_progress(user=learner, course=page)
        target = progress.resume_page or page
        return redirect(target.url)
    return TemplateResponse(request, page.get_template(request), page.get_context(request))


def _neighbours(lesson: LessonPage, course: CoursePage):
    lessons = list(course.lessons())
    position = next((i for i, item in enumerate(lessons) if item.pk == lesson.pk), 0)
    previous = lessons[position - 1] if position > 0 else None
    following = lessons[position + 1] if position + 1 < len(lessons) else course.quiz()
    return position + 1, len(lessons), previous, following


def lesson_serve(request, *, page: LessonPage):
    course = page.get_parent().specific
    enrolment = _enrolment(request, course)
    if request.method == "POST":
        if enrolment is None:
            messages.error(request, _("Enrol in the course first to keep track of your progress."))
            return redirect(course.url)
        completed = services.lesson_complete(enrolment=enrolment, lesson=page)
        if completed:
            messages.success(request, _("Course completed. Well done!"))
            return redirect(course.url)
        following = _neighbours(page, course)[3]
        return redirect(following.url if following else course.url)
    if enrolment is not None:
        services.lesson_visit(enrolment=enrolment, lesson=page)
    number, total, previous, following = _neighbours(page, course)
    context = page.get_context(request)
    context.update(
        {
            "course": course,
            "enrolment": enrolment,
            "done": bool(enrolment and enrolment.completions.filter(lesson=page).exists()),
            "number": number,
            "total": total,
            "previous": previous,
            "following": following,
        }
    )
    return TemplateResponse(request, page.get_template(request), context)


def _answers(request, quiz: QuizPage) -> tuple[list[list[int]], list[int]]:
    """The chosen answer positions per question, and the questions left unanswered (1-based)."""
    answers, missing = [], []
    for number, block in enumerate(quiz.questions, start=1):
        count = len(block.value["choices"])
        chosen = []
        for raw in request.POST.getlist(f"q{number}"):
            if raw.isdigit() and int(raw) < count and int(raw) not in chosen:
                chosen.append(int(raw))
        if not block.value["multiple"]:
            chosen = chosen[:1]
        if not chosen:
            missing.append(number)
        answers.append(sorted(chosen))
    return answers, missing


def _reviewed(quiz: QuizPage, answers: list[list[int]]) -> list[dict]:
    _score, results = services.quiz_score(quiz, answers)
    review = []
    for position, block in enumerate(quiz.questions):
        chosen = set(answers[position]) if position < len(answers) else set()
        review.append(
            {
                "number": position + 1,
                "question": block.value,
                "right": results[position],
                "choices": [
                    {"text": choice["text"], "correct": choice["correct"], "chosen": index in chosen}
                    for index, choice in enumerate(block.value["choices"])
                ],
            }
        )
    return review


def quiz_serve(request, *, page: QuizPage):
    course = page.get_parent().specific
    enrolment = _enrolment(request, course)
    context = page.get_context(request)
    context.update({"course": course, "enrolment": enrolment, "errors": [], "attempt": None})
    if enrolment is not None:
        context["attempts"] = list(enrolment.attempts.filter(quiz=page)[:10])
    if request.method == "POST":
        if enrolment is None:
            messages.error(request, _("Enrol in the course first to keep track of your progress."))
            return redirect(course.url)
        answers, missing = _answers(request, page)
        if missing:
            context["errors"] = [
                _("Answer question %(number)s.") % {"number": number} for number in missing
            ]  # fmt: skip
            context["given"] = {f"q{i + 1}": choice for i, choice in enumerate(answers)}
            return TemplateResponse(request, page.get_template(request), context, status=400)
        attempt = services.quiz_attempt_submit(
            enrolment=enrolment, quiz=page, answers=answers, language=translation.get_language()
        )
        enrolment.refresh_from_db()
        context.update({"attempt": attempt, "review": _reviewed(page, answers), "completed": enrolment.completed_at})
        context["attempts"] = list(enrolment.attempts.filter(quiz=page)[:10])
        context.update(_after_the_quiz(request.user, course, enrolment))
    return TemplateResponse(request, page.get_template(request), context)


def _after_the_quiz(user, course: CoursePage, enrolment: Enrolment) -> dict:
    """What a passed quiz leads to: the lessons left, the next step, the badge and the tool it opens."""
    progress = progress_for_enrolment(course, enrolment)
    badge = course.badge
    tool_url = tool_label = None
    if badge is not None and badge.opens_tool and user.sme_id:
        tool_url = reverse("toolkit:tool", kwargs={"slug": user.sme.slug, "tool": badge.opens_tool})
        tool_label = badge.get_opens_tool_display()
    held = badge is not None and valid_awards().filter(sme_id=user.sme_id, badge_class=badge).exists()
    return {
        "progress": progress,
        "lessons_left": [state.lesson for state in progress.lessons if not state.done],
        "next_page": progress.resume_page,
        "course_badge": badge,
        "badge_held": held,
        "tool_url": tool_url,
        "tool_label": tool_label,
    }


# ---------------------------------------------------------------------------
# The learner's portal


@login_required
def my_learning(request):
    """An SME user's courses with their progress, and their company's badges."""
    learner = _learner(request)
    if learner is None:
        raise Http404
    return render(
        request,
        "learning/my_learning.html",
        {
            "courses": course_cards(user=learner),
            "awards": _awards_for_display(learner.sme),
            "courses_url": course_index_url(),
        },
    )


def _awards_for_display(sme) -> list[dict]:
    return [
        {
            "award": award,
            "status": award.status(),
            "verify_url": openbadges.verification_url(award),
            "baked_url": reverse("learning_public:baked", kwargs={"uid": award.uid}),
            "credential_url": reverse("learning_public:credential", kwargs={"uid": award.uid}),
            "credential_download_url": reverse("learning_public:credential", kwargs={"uid": award.uid}) + "?download",
            "qr_url": reverse("learning_public:credential_qr", kwargs={"uid": award.uid}),
            "linkedin_url": openbadges.linkedin_add_url(award),
        }
        for award in sme_learning(sme).awards
        if award.current or award.revoked_at
    ]


@login_required
def my_badges(request):
    """My company's badges: download (baked PNG), share (verification page), the signed credential."""
    learner = _learner(request)
    if learner is None:
        raise Http404
    return render(request, "learning/my_badges.html", {"sme": learner.sme, "awards": _awards_for_display(learner.sme)})


# ---------------------------------------------------------------------------
# Staff: an SME's learning, awarding and revoking


def _visible_sme(request, slug):
    return get_object_or_404(scoping.smes_visible_to(request.user).select_related("launchpad"), slug=slug)


@login_required
def sme_detail(request, slug):
    """An SME's learning: every user's progress per course, and its badges (with award and revoke)."""
    sme = _visible_sme(request, slug)
    learning = sme_learning(sme)
    return render(
        request,
        "learning/sme_learning.html",
        {
            "sme": sme,
            "enrolments": learning.enrolments,
            "awards": _awards_for_display(sme),
            "badge_classes": BadgeClass.objects.order_by("name"),
            "may_award": scoping.can_change_sme(request.user, sme),
        },
    )


@login_required
@require_POST
def award(request, slug):
    sme = _visible_sme(request, slug)
    if not scoping.can_change_sme(request.user, sme):
        raise PermissionDenied
    badge_class = BadgeClass.objects.filter(pk=request.POST.get("badge_class") or 0).first()
    if badge_class is None:
        messages.error(request, _("Choose the badge to award."))
        return redirect("learning:sme", slug=slug)
    try:
        _award, created = services.badge_award(
            badge_class=badge_class, sme=sme, by=request.user, reason=request.POST.get("reason", "")
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        if created:
            messages.success(
                request, _("“%(badge)s” awarded to %(sme)s.") % {"badge": badge_class.name, "sme": sme.name}
            )
        else:
            messages.info(
                request, _("%(sme)s already holds “%(badge)s”.") % {"badge": badge_class.name, "sme": sme.name}
            )
    return redirect("learning:sme", slug=slug)


@login_required
@require_POST
def revoke(request, uid):
    award = get_object_or_404(
        scoping.scope_to_visible(request.user, BadgeAward.objects.select_related("sme", "badge_class")), uid=uid
    )
    if not scoping.can_change_sme(request.user, award.sme):
        raise PermissionDenied
    try:
        services.badge_revoke(award=award, by=request.user, reason=request.POST.get("reason", ""))
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("“%(badge)s” revoked.") % {"badge": award.badge_class.name})
    return redirect("learning:sme", slug=award.sme.slug)


def sme_panel(request, sme) -> str:
    """Learning on the SME pages (registered with journey.panels): progress and badges at a glance."""
    learning = sme_learning(sme)
    learner_view = _learner(request) is not None
    return render_to_string(
        "learning/sme_panel.html",
        {
            "sme": sme,
            "enrolments": learning.enrolments,
            "valid_awards": [award for award in learning.awards if award.status() == AwardStatus.VALID],
            "url": reverse("learning:my_learning") if learner_view else reverse("learning:sme", args=[sme.slug]),
            "courses_url": course_index_url(),
        },
        request=request,
    )


# ---------------------------------------------------------------------------
# Public Open Badges documents (no language prefix) and the verification page


def _json_ld(document: dict, status: int = 200) -> JsonResponse:
    response = JsonResponse(document, status=status, content_type=JSON_LD, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _launchpad(code: str) -> Launchpad:
    return get_object_or_404(Launchpad, code=code)


def issuer(request, launchpad):
    return _json_ld(openbadges.issuer_document(_launchpad(launchpad)))


def badge_class(request, launchpad, slug):
    return _json_ld(openbadges.badge_class_document(get_object_or_404(BadgeClass, slug=slug), _launchpad(launchpad)))


def badge_image(request, launchpad, slug):
    issuing = _launchpad(launchpad)
    # The initials of the badge's name in the page's language (?lang=fr on a French page), else in the
    # issuing launchpad's, as its Open Badges documents are.
    badge = get_object_or_404(BadgeClass, slug=slug)
    language = request.GET.get("lang")
    if language not in dict(settings.LANGUAGES):
        language = issuing.language
    picture = openbadges.badge_image(badge, language=language)
    return HttpResponse(openbadges.png_bytes(picture), content_type="image/png")


def _award(uid) -> BadgeAward:
    return get_object_or_404(BadgeAward.objects.select_related("badge_class", "sme__launchpad"), uid=uid)


def assertion(request, uid):
    """The hosted OB 2.0 assertion; a revoked one answers 410 Gone with a JSON-LD revocation, as the spec asks."""
    award = _award(uid)
    if award.revoked_at:
        return _json_ld(openbadges.revoked_document(award), status=410)
    return _json_ld(openbadges.assertion_document(award))


def baked(request, uid):
    award = _award(uid)
    response = HttpResponse(openbadges.baked_png(award), content_type="image/png")
    response["Content-Disposition"] = f'attachment; filename="{award.badge_class.slug}-{award.uid}.png"'
    return response


def _gone():
    return HttpResponse(_("This badge has been revoked."), status=410, content_type=VC_JWT_WEB)


def signed_assertion(request, uid):
    """The signed OB 2.0 assertion as a compact JWS (RS256); ``?download`` makes it a file.

    A revoked award's is no longer handed out (410); copies already held are reported revoked by
    the issuer's RevocationList.
    """
    award = _award(uid)
    if award.revoked_at:
        return _gone()
    response = HttpResponse(openbadges.signed_assertion_jws(award), content_type=VC_JWT_WEB)
    response["Access-Control-Allow-Origin"] = "*"
    if "download" in request.GET:
        response["Content-Disposition"] = f'attachment; filename="{award.badge_class.slug}-{award.uid}.jws"'
    return response


def signed_baked(request, uid):
    """The badge image with the signed assertion (JWS) baked in."""
    award = _award(uid)
    if award.revoked_at:
        raise Http404
    response = HttpResponse(openbadges.signed_baked_png(award), content_type="image/png")
    response["Content-Disposition"] = f'attachment; filename="{award.badge_class.slug}-{award.uid}-signed.png"'
    return response


def revocation_list(request, launchpad):
    """The launchpad's OB 2.0 RevocationList: its revoked signed assertions, with their reasons."""
    response = _json_ld(openbadges.revocation_list_document(_launchpad(launchpad)))
    response["Cache-Control"] = "max-age=300"
    return response


# OB 3.0 § "Web Resource": a VC-JWT is served as the compact JWS, Content-Type text/plain.
VC_JWT_WEB = "text/plain; charset=utf-8"


def credential(request, uid):
    """The OB 3.0 credential as a VC-JWT; ``?download`` makes it a file to import into a wallet.

    A revoked award's credential is no longer handed out (410); copies already held are
    reported revoked by the status list.
    """
    award = _award(uid)
    if award.revoked_at:
        return _gone()
    response = HttpResponse(openbadges.ob3_jwt(award), content_type=VC_JWT_WEB)
    response["Access-Control-Allow-Origin"] = "*"
    if "download" in request.GET:
        response["Content-Disposition"] = f'attachment; filename="{award.badge_class.slug}-{award.uid}.jwt"'
    return response


def credential_qr(request, uid):
    """A QR code of the credential's address, for a phone wallet."""
    award = _award(uid)
    if award.revoked_at:
        raise Http404
    return HttpResponse(openbadges.credential_qr_svg(award), content_type="image/svg+xml")


def key(request, launchpad, uid):
    """A signing key of the launchpad; retired keys stay here. An Ed25519 key (the ``kid`` of its OB 3.0
    credentials) as a JWK, an RSA key (the ``creator`` of its signed OB 2.0 assertions) as a CryptographicKey."""
    issuer_key = get_object_or_404(IssuerKey.objects.select_related("launchpad"), launchpad__code=launchpad, uid=uid)
    if issuer_key.algorithm == IssuerKey.Algorithm.RSA:
        return _json_ld(openbadges.key_document(issuer_key))
    response = JsonResponse(openbadges.key_jwk(issuer_key), content_type="application/jwk+json")
    response["Access-Control-Allow-Origin"] = "*"
    return response


def jwks(request, launchpad):
    response = JsonResponse(openbadges.jwks(_launchpad(launchpad)), content_type="application/jwk-set+json")
    response["Access-Control-Allow-Origin"] = "*"
    return response


def status_list(request, launchpad):
    """The launchpad's revocation status list (W3C Bitstring Status List) signed as a VC-JWT."""
    response = HttpResponse(openbadges.status_list_jwt(_launchpad(launchpad)), content_type="application/vc+jwt")
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "max-age=300"
    return response


def verify(request, uid):
    """The public, bilingual page anyone can open to check a badge: valid, revoked or expired."""
    award = _award(uid)
    language = request.GET.get("lang")
    if language in dict(settings.LANGUAGES):
        # A link may name the language; remember it like the switcher does, then show the plain address
        # (so the switcher, which posts back to this address, can change it again).
        response = redirect(request.path)
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax")
        return response
    return render(
        request,
        "learning/verify.html",
        {
            "award": award,
            "status": award.status(),
            "assertion_url": openbadges.assertion_url(award),
            # A revoked award's signed assertion is no longer handed out (410).
            "signed_assertion_url": "" if award.revoked_at else openbadges.signed_assertion_url(award),
            "signed_baked_url": "" if award.revoked_at else openbadges.signed_baked_url(award),
            "assertion_json": json.dumps(openbadges.assertion_document(award), indent=2, ensure_ascii=False),
            "image_url": reverse(
                "learning_public:badge_image",
                kwargs={"launchpad": award.sme.launchpad.code, "slug": award.badge_class.slug},
            )
            + f"?lang={translation.get_language()}",
        },
    )
