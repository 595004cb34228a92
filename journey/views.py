"""Sign-in, language choice and the SME portal."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, translate_url
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from . import panels, progress, scoping, workspace
from .forms import QueuedPasswordResetForm, SignInForm
from .models import ACTIVE_STAGES, SME, Role, Stage
from .ratelimit import client_address, over_limit
from .services import user_set_preferred_language
from .transitions import sme_transition_options


def _remember_language(response, language):
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


class SignInView(auth_views.LoginView):
    """Sign in; then continue in the language the user chose last time (or remember this one)."""

    form_class = SignInForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.get_user()
        language = user.preferred_language or translation.get_language()
        if not user.preferred_language:
            user_set_preferred_language(user=user, language=language)
        # translate_url resolves the URL in the language of this request, so before switching.
        response["Location"] = translate_url(response["Location"], language)
        translation.activate(language)
        _remember_language(response, language)
        return response


class PasswordResetView(auth_views.PasswordResetView):
    """Password reset, throttled per e-mail address asked for and per visitor's address.

    Counted whether or not an account has that address, so the refusal tells nothing about
    who has an account.
    """

    form_class = QueuedPasswordResetForm

    def form_valid(self, form):
        account_limit, account_window = settings.PASSWORD_RESET_RATE_LIMIT_PER_ACCOUNT
        address_limit, address_window = settings.PASSWORD_RESET_RATE_LIMIT_PER_ADDRESS
        email = form.cleaned_data["email"].strip().lower()
        too_many_for_account = over_limit("password-reset-account", email, limit=account_limit, window=account_window)
        too_many_from_address = over_limit(
            "password-reset-address", client_address(self.request), limit=address_limit, window=address_window
        )
        if too_many_for_account or too_many_from_address:
            form.add_error(
                "email",
                gettext("Too many requests for a new password. Please wait an hour before asking again."),
            )
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().form_valid(form)


def locked_out(request, original_response=None, credentials=None):
    """What django-axes answers a locked-out sign-in (the site's or the Wagtail admin's), translated."""
    minutes = max(1, round(settings.AXES_COOLOFF_TIME.total_seconds() / 60))
    return render(request, "registration/locked_out.html", {"minutes": minutes}, status=429)


@require_POST
def set_language(request):
    """Django's language switch (keeps the reader on the same page), remembered on their account.

    Django translates ``next`` by resolving it in the language active for this request, which the
    cookie decides here (the switch's own address has no prefix). When the page read is in another
    language than the saved one (``/en/…`` with the cookie ``fr``), nothing resolves and the reader
    stays where they were; so the URL is resolved in the language of its own prefix.
    """
    next_url = request.POST.get("next", request.GET.get("next")) or ""
    page_language = translation.get_language_from_path(urlsplit(next_url).path)
    if page_language:
        translation.activate(page_language)
    response = django_set_language(request)
    language = request.POST.get("language")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        user_set_preferred_language(user=request.user, language=language)
    return response


@login_required
def portal(request):
    """Where signing in lands: an SME user's own company, staff's admin dashboard."""
    user = request.user
    if user.role == Role.SME_USER:
        return redirect("journey:sme_detail", slug=user.sme.slug)
    if user.is_programme_staff:
        return redirect(reverse("wagtailadmin_home"))
    raise Http404


@login_required
def sme_detail(request, slug):
    """The SME's page: company, launchpad, account manager and contact people."""
    sme = get_object_or_404(
        scoping.smes_visible_to(request.user).select_related("launchpad", "primary_account_manager"),
        slug=slug,
    )
    return render(
        request,
        "journey/sme_detail.html",
        {
            "sme": sme,
            "contacts": sme.contacts.all(),
            "collaborators": sme.collaborators.all(),
            "can_change": scoping.can_change_sme(request.user, sme),
            "journey_steps": [(stage.value, stage.label) for stage in [*ACTIVE_STAGES, Stage.COMPLETED]],
            "done_stages": set(sme.stage_changes.values_list("from_stage", flat=True)),
            "in_programme_since": progress.journey_started_at(SME.objects.filter(pk=sme.pk))[sme.pk],
            "panels": panels.render(request, sme),
        },
    )


@login_required
def sme_workspace(request, slug):
    """The staff's one page about an SME: where it stands, what blocks it, coaching, data, learning, timeline."""
    sme = get_object_or_404(
        scoping.smes_visible_to(request.user).select_related("launchpad__programme", "primary_account_manager"),
        slug=slug,
    )
    if not scoping.can_view_workspace(request.user, sme):
        raise PermissionDenied
    options = sme_transition_options(sme=sme, user=request.user)
    timeline = workspace.timeline_page(sme, kinds=request.GET.getlist("kind"), page=request.GET.get("page"))
    # Times in the SME's launchpad's time zone, as on its coaching pages.
    with timezone.override(sme.launchpad.time_zone):
        return render(
            request,
            "journey/sme_workspace.html",
            {
                "sme": sme,
                "facts": workspace.stage_facts(sme),
                "ready_options": [option for option in options if option.ready],
                "blocked_options": [option for option in options if not option.ready],
                "transition_url": reverse("smes:transition", args=[sme.pk]),
                "can_change": scoping.can_change_sme(request.user, sme),
                "collaborators": sme.collaborators.select_related("launchpad"),
                "sections": workspace.sections(request, sme),
                "timeline": timeline,
                "timeline_filtered": any(selected for _kind, _count, selected in timeline.kinds),
            },
        )


__all__ = ["PasswordResetView", "SignInView", "portal", "set_language", "sme_detail", "sme_workspace"]
