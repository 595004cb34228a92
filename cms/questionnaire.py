"""The eligibility questionnaire's web part: steps kept in the session, Back and Next, review, thanks.

Every step is a plain HTML form (no JavaScript needed). What the visitor typed is kept in
the session, step by step, as posted, so Back and the language switcher never lose an
answer; the answers are validated again as a whole before ``journey.enquiries.enquiry_submit``
records them. Addresses: ``?step=<slug>`` for a step, ``?step=review``, ``?step=thanks``.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.translation import get_language

from journey.enquiries import NO_LAUNCHPAD, NOT_SME, OUTSIDE_AREA, enquiry_submit
from journey.models import Launchpad

from .forms import HONEYPOT_FIELD, REVIEW, STEPS, STEPS_BY_SLUG, THANKS, Step, StepForm
from .models import EligibilityPage
from .ratelimit import over_rate_limit
from .selectors import privacy_page

SESSION_KEY = "eligibility"
RESULT_KEY = "eligibility_result"
TEMPLATE = "cms/eligibility_page.html"


# --- the session -----------------------------------------------------------------------------------


def _saved(request: HttpRequest) -> dict[str, dict]:
    """What the visitor typed so far, by step slug."""
    return request.session.get(SESSION_KEY, {})


def _save(request: HttpRequest, step: Step, data) -> None:
    saved = _saved(request)
    form = step.form_class()
    saved[step.slug] = {name: data.get(name, "") for name in form.fields if name != HONEYPOT_FIELD}
    request.session[SESSION_KEY] = saved


def _bound(step: Step, saved: dict[str, dict]) -> StepForm:
    return step.form_class(data=saved.get(step.slug, {}))


def _first_incomplete(saved: dict[str, dict]) -> Step | None:
    for step in STEPS:
        if not _bound(step, saved).is_valid():
            return step
    return None


def _url(page: EligibilityPage, step: str | None = None) -> str:
    return f"{page.url}?step={step}" if step else page.url


# --- the rate limit -----------------------------------------------------------------------------------


def _over_rate_limit(request: HttpRequest) -> bool:
    """Count this submission against the visitor's address; True when it is one too many in the window."""
    return over_rate_limit(request, scope="enquiry-submissions", setting="ENQUIRY_RATE_LIMIT")


# --- rendering -----------------------------------------------------------------------------------------


def _render(request: HttpRequest, page: EligibilityPage, mode: str, status: int = 200, **context) -> HttpResponse:
    saved = _saved(request)
    first_incomplete = _first_incomplete(saved)
    reachable = len(STEPS) if first_incomplete is None else STEPS.index(first_incomplete)
    progress = [
        {"step": step, "number": number, "reachable": index <= reachable, "url": _url(page, step.slug)}
        for index, (number, step) in enumerate(enumerate(STEPS, start=1))
    ]
    privacy = privacy_page()
    context = {
        "page": page,
        "self": page,
        "mode": mode,
        "progress": progress,
        "step_count": len(STEPS),
        "review_url": _url(page, REVIEW),
        "review_reachable": first_incomplete is None,
        "privacy_url": privacy.url if privacy else "",
        "honeypot_field": HONEYPOT_FIELD,
        **context,
    }
    return TemplateResponse(request, TEMPLATE, context, status=status)


def _review_rows(saved: dict[str, dict]) -> list[dict]:
    """The answers, step by step, as the visitor would read them (choice labels, not codes)."""
    sections = []
    for step in STEPS:
        form = _bound(step, saved)
        form.is_valid()
        rows = []
        for field in form.visible_fields():
            value = form.cleaned_data.get(field.name, "")
            choices = dict(getattr(field.field, "choices", []) or [])
            if field.name == "consent":
                continue
            if choices:
                value = choices.get(value, value)
            rows.append({"label": field.label, "value": value})
        sections.append({"step": step, "rows": rows})
    return sections


def _thanks_context(result: dict) -> dict:
    launchpad = Launchpad.objects.filter(pk=result.get("launchpad")).first() if result.get("launchpad") else None
    flags = result.get("flags", [])
    return {
        "result": result,
        "launchpad": launchpad,
        "outside_area": OUTSIDE_AREA in flags,
        "not_sme": NOT_SME in flags,
        "no_launchpad": NO_LAUNCHPAD in flags,
    }


# --- the steps ------------------------------------------------------------------------------------------


def _drop_bot(request: HttpRequest, page: EligibilityPage) -> HttpResponse:
    """A filled bot trap: forget everything and answer like a normal submission."""
    request.session.pop(SESSION_KEY, None)
    request.session[RESULT_KEY] = {"dropped": True}
    return HttpResponseRedirect(_url(page, THANKS))


def _serve_step(request: HttpRequest, page: EligibilityPage, step: Step) -> HttpResponse:
    saved = _saved(request)
    index = STEPS.index(step)
    first_incomplete = _first_incomplete(saved)
    if first_incomplete is not None and STEPS.index(first_incomplete) < index:
        return HttpResponseRedirect(_url(page, first_incomplete.slug))

    if request.method == "POST":
        form = step.form_class(data=request.POST)
        if form.is_bot():
            return _drop_bot(request, page)
        _save(request, step, request.POST)
        if request.POST.get("action") == "back":
            # Back keeps what was typed, valid or not; it is checked again on the way forward.
            return HttpResponseRedirect(_url(page, STEPS[index - 1].slug) if index else _url(page))
        if form.is_valid():
            following = STEPS[index + 1].slug if index + 1 < len(STEPS) else REVIEW
            return HttpResponseRedirect(_url(page, following))
    else:
        form = step.form_class(initial=saved.get(step.slug, {}))
    return _render(
        request,
        page,
        "step",
        step=step,
        step_number=index + 1,
        form=form,
        is_first=index == 0,
        is_last=index + 1 == len(STEPS),
    )


def _serve_review(request: HttpRequest, page: EligibilityPage) -> HttpResponse:
    saved = _saved(request)
    first_incomplete = _first_incomplete(saved)
    if first_incomplete is not None:
        return HttpResponseRedirect(_url(page, first_incomplete.slug))
    if request.method == "POST":
        if request.POST.get("action") == "back":
            return HttpResponseRedirect(_url(page, STEPS[-1].slug))
        if _over_rate_limit(request):
            return _render(request, page, "limited", status=429)
        if StepForm(data=request.POST).is_bot():
            return _drop_bot(request, page)
        answers = {}
        for step in STEPS:
            form = _bound(step, saved)
            form.is_valid()
            answers.update(form.answers())
        result = enquiry_submit(answers=answers, language=get_language())
        request.session.pop(SESSION_KEY, None)
        request.session[RESULT_KEY] = {
            "flags": result.flags,
            "launchpad": result.enquiry.launchpad_id,
            "company": result.enquiry.company_name,
            "email": result.enquiry.contact_email,
        }
        return HttpResponseRedirect(_url(page, THANKS))
    return _render(request, page, "review", sections=_review_rows(saved), form=StepForm())


def _serve_thanks(request: HttpRequest, page: EligibilityPage) -> HttpResponse:
    result = request.session.get(RESULT_KEY)
    if not result:
        return HttpResponseRedirect(_url(page))
    return _render(request, page, "thanks", **_thanks_context(result))


def questionnaire_serve(*, page: EligibilityPage, request: HttpRequest) -> HttpResponse:
    """Answer a request to the questionnaire page: a step, the review, or the thank-you page."""
    slug = request.POST.get("step") if request.method == "POST" else request.GET.get("step")
    if slug == THANKS:
        return _serve_thanks(request, page)
    if slug == REVIEW:
        return _serve_review(request, page)
    step = STEPS_BY_SLUG.get(slug or "", STEPS[0])
    return _serve_step(request, page, step)
