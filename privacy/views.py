"""The personal-data desk (staff) and a person's own export (privacy)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from journey import scoping

from . import people, services
from .export import SECTIONS, sections
from .forms import EraseForm, LookupForm
from .links import SIGNING_SALT, download_path
from .models import PrivacyRequest, RequestKind, RequestStatus
from .people import KIND_LABELS


def _desk_user(request):
    if not scoping.can_handle_personal_data_desk(request.user):
        raise PermissionDenied
    return request.user


def _person_for(request, email):
    """The person behind ``email`` if the user may handle them, else PermissionDenied."""
    person = people.find(email)
    if person.found and not scoping.can_handle_personal_data(request.user, person.launchpad_ids):
        raise PermissionDenied(_("This person's records are not all of your launchpad: a coordinator handles them."))
    return person


@login_required
def desk(request):
    user = _desk_user(request)
    form = LookupForm(request.GET or None)
    context = {"form": form, "person": None}
    if form.is_valid():
        person = _person_for(request, form.cleaned_data["email"])
        context["person"] = person
        if person.found:
            data = sections(person)
            context["kinds"] = [KIND_LABELS[kind] for kind in person.kinds]
            context["counts"] = [(SECTIONS[key], len(rows)) for key, rows in data.items() if rows]
            context["erase_form"] = EraseForm(initial={"email": person.email}, launchpad_ids=person.launchpad_ids)
            context["is_staff_person"] = person.is_staff
    register = PrivacyRequest.objects.select_related("requested_by", "carried_out_by")
    if not (user.is_superuser or user.role == "coordinator"):
        register = register.filter(carried_out_by=user)
    context["register"] = register[:50]
    return render(request, "privacy/desk.html", context)


@login_required
@require_POST
def desk_export(request):
    user = _desk_user(request)
    form = LookupForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter a valid e-mail address."))
        return redirect("privacy:desk")
    email = form.cleaned_data["email"]
    _person_for(request, email)
    content, _record = services.export_person(email, by=user, via="web")
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="personal-data.zip"'
    return response


@login_required
@require_POST
def desk_erase(request):
    user = _desk_user(request)
    email = request.POST.get("email", "")
    person = _person_for(request, email)
    form = EraseForm(request.POST, launchpad_ids=person.launchpad_ids)
    back = reverse("privacy:desk") + "?" + urlencode({"email": email})
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    try:
        services.erase_person(
            email, by=user, via="web", reason=form.cleaned_data["reason"], to=form.cleaned_data["reassign_to"]
        )
    except ValidationError as refusal:
        messages.error(request, " ".join(refusal.messages))
        return redirect(back)
    if person.found:
        messages.success(request, _("Their personal data was erased. The register records the request."))
    else:
        messages.info(request, _("Nothing is held about this address: nothing was erased."))
    return redirect("privacy:desk")


# --- A person's own export ---------------------------------------------------------------------


@login_required
def my_data(request):
    if request.method == "POST":
        record = PrivacyRequest.objects.create(
            kind=RequestKind.ACCESS,
            subject_hash=people.subject_hash(request.user.email),
            subject_kinds=", ".join(people.find(request.user.email).kinds),
            by_the_person=True,
            requested_by=request.user,
            via="web",
        )
        from .tasks import own_export_task

        transaction.on_commit(lambda: own_export_task.delay(record.pk))
        messages.success(
            request,
            _("Your export is being prepared. We will e-mail you a download link, also shown on this page."),
        )
        return redirect("privacy:my_data")
    now = timezone.now()
    records = PrivacyRequest.objects.filter(
        requested_by=request.user, by_the_person=True, kind=RequestKind.ACCESS
    ).order_by("-created_at")[:10]
    exports = [
        {
            "record": record,
            "url": download_path(record)
            if record.export_file and record.expires_at and record.expires_at > now
            else "",
            "expired": bool(record.expires_at and record.expires_at <= now),
        }
        for record in records
    ]
    return render(
        request,
        "privacy/my_data.html",
        {"exports": exports, "link_hours": settings.PRIVACY_EXPORT_LINK_HOURS, "pending": RequestStatus.PENDING},
    )


@login_required
def download(request, token):
    try:
        value = signing.loads(
            token, salt=SIGNING_SALT, max_age=datetime.timedelta(hours=settings.PRIVACY_EXPORT_LINK_HOURS)
        )
    except signing.SignatureExpired:
        return render(request, "privacy/link_expired.html", status=410)
    except signing.BadSignature as error:
        raise Http404 from error
    record = get_object_or_404(PrivacyRequest, pk=value.get("r"), requested_by=request.user, by_the_person=True)
    if not record.export_file or not record.expires_at or record.expires_at <= timezone.now():
        return render(request, "privacy/link_expired.html", status=410)
    return FileResponse(
        default_storage.open(record.export_file, "rb"), as_attachment=True, filename="e-channel-personal-data.zip"
    )
