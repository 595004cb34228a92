"""Pages of the capture mailbox: the drafts to confirm, the triage list, a file dropped on an SME's page.

Each draft is confirmed, edited or discarded in one click; each triage entry is given to an
SME (it becomes a draft) or discarded. Which entries a person sees and may act on is decided
by ``journey.scoping`` (through ``selectors``); the services check it again.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from journey import scoping

from ..forms import ContactForm
from ..models import CapturedMessage, CaptureStatus
from . import matching, selectors, services
from .forms import CaptureUploadForm


def _back(request):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect("coaching:captured")


def _capture(request, pk) -> CapturedMessage:
    if not scoping.is_programme_staff(request.user):
        raise PermissionDenied
    return get_object_or_404(selectors.visible(request.user).select_related("sme__launchpad"), pk=pk)


def _error(request, error: Exception) -> None:
    for message in getattr(error, "messages", None) or [str(error) or gettext("You may not do this.")]:
        messages.error(request, message)


@login_required
def captured(request):
    """The person's drafts to confirm and the launchpads' triage lists."""
    if not scoping.is_programme_staff(request.user):
        raise PermissionDenied
    triage = list(selectors.triage(request.user)[:200])
    rows = [(entry, selectors.smes_to_attach(request.user, entry)) for entry in triage]
    addresses = [
        (launchpad, matching.capture_address(launchpad))
        for launchpad in scoping.launchpads_served_by(request.user)
        if matching.capture_address(launchpad)
    ]
    return render(
        request,
        "coaching/capture_list.html",
        {"drafts": selectors.drafts_to_confirm(request.user)[:200], "triage": rows, "addresses": addresses},
    )


@login_required
@require_POST
def capture_confirm(request, pk):
    capture = _capture(request, pk)
    try:
        services.capture_confirm(capture=capture, by=request.user)
    except (PermissionDenied, ValidationError) as error:
        _error(request, error)
    else:
        messages.success(request, gettext("Added to the progress sheet of %(sme)s.") % {"sme": capture.sme})
    return _back(request)


@login_required
@require_POST
def capture_discard(request, pk):
    capture = _capture(request, pk)
    try:
        services.capture_discard(capture=capture, by=request.user)
    except (PermissionDenied, ValidationError) as error:
        _error(request, error)
    else:
        messages.success(request, gettext("Discarded: it will not be captured again."))
    return _back(request)


@login_required
@require_POST
def capture_attach(request, pk):
    capture = _capture(request, pk)
    sme = scoping.smes_editable_by(request.user).filter(slug=request.POST.get("sme", "")).first()
    if sme is None:
        messages.error(request, gettext("Choose one of the SMEs you may change."))
        return _back(request)
    try:
        services.capture_attach(capture=capture, by=request.user, sme=sme)
    except (PermissionDenied, ValidationError) as error:
        _error(request, error)
    else:
        messages.success(request, gettext("Now a draft of %(sme)s, to confirm.") % {"sme": sme})
    return _back(request)


@login_required
def capture_edit(request, pk):
    """Edit a draft before it goes on the progress sheet; saving confirms it."""
    capture = _capture(request, pk)
    if capture.status != CaptureStatus.DRAFT or not scoping.can_change_sme(request.user, capture.sme):
        raise PermissionDenied
    sme = capture.sme
    with timezone.override(sme.launchpad.time_zone):
        initial = {
            "happened_at": timezone.localtime(capture.happened_at).replace(second=0, microsecond=0),
            "channel": capture.channel,
            "participants": capture.participants,
            "summary": services.summary_of(capture),
        }
        form = ContactForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            try:
                services.capture_confirm(capture=capture, by=request.user, **form.cleaned_data)
            except (PermissionDenied, ValidationError) as error:
                _error(request, error)
            else:
                messages.success(request, gettext("Added to the progress sheet of %(sme)s.") % {"sme": sme})
                return _back(request)
        return render(request, "coaching/capture_edit.html", {"form": form, "capture": capture, "sme": sme})


@login_required
@require_POST
def capture_upload(request, slug):
    """An .eml or .ics dropped on the SME's coaching page: captured for this SME, like a mailed one."""
    sme = get_object_or_404(scoping.smes_visible_to(request.user), slug=slug)
    if not scoping.can_change_sme(request.user, sme):
        raise PermissionDenied
    form = CaptureUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        for error in form.errors.get("file", []):
            messages.error(request, error)
        return redirect("coaching:sme", slug=slug)
    outcome = services.capture_message(
        form.cleaned_data["file"], source=CapturedMessage.Source.UPLOAD, uploaded_by=request.user, sme=sme
    )
    capture = outcome.capture
    if not outcome.created:
        messages.info(request, gettext("This message was captured already (%(status)s).") % {
            "status": capture.get_status_display()})  # fmt: skip
    elif capture.status == CaptureStatus.DRAFT:
        messages.success(request, gettext("Captured as a draft contact: confirm it below or on your dashboard."))
    elif capture.status == CaptureStatus.APPLIED:
        messages.success(request, gettext("The invitation's change was applied to the captured meeting."))
    else:
        messages.warning(
            request, gettext("Put in the triage list: %(reason)s") % {"reason": capture.get_reason_display()}
        )
    return redirect("coaching:sme", slug=slug)
