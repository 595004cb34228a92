"""The SMEs in the Wagtail admin, scoped by ``journey.scoping``."""

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic.history import HistoryView
from wagtail.admin.views.generic.models import EditView, IndexView, InspectView
from wagtail.admin.views.generic.usage import UsageView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton
from wagtail.permission_policies.base import ModelPermissionPolicy

from . import enquiries, progress, scoping, spreadsheets
from . import panels as sme_panels
from .admin_labels import NamedAddLabelsMixin
from .enquiries import ANSWER_FIELDS
from .models import SME, Enquiry, Launchpad, Role, ScreeningChecklist, Stage, User
from .services import screening_update
from .stages import overdue_q
from .transitions import TransitionRefused, sme_transition, sme_transition_options


def workspace_url(sme: SME) -> str:
    """The staff workspace of the SME (in the active language): where every staff link to an SME leads."""
    return reverse("journey:sme_workspace", kwargs={"slug": sme.slug})


class SMEPermissionPolicy(ModelPermissionPolicy):
    """Model-level permissions come from the role; per-SME answers from ``journey.scoping``."""

    def user_has_permission_for_instance(self, user, action, instance):
        if action == "view":
            return scoping.can_view_sme(user, instance)
        if action == "change":
            return scoping.can_change_sme(user, instance)
        # SMEs are withdrawn, never deleted, except by an administrator.
        return bool(user.is_active and user.is_superuser)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return any(self.user_has_permission_for_instance(user, action, instance) for action in actions)

    def instances_user_has_permission_for(self, user, action):
        if action == "view":
            return scoping.smes_visible_to(user)
        if action == "change":
            return scoping.smes_editable_by(user)
        return SME.objects.all() if user.is_active and user.is_superuser else SME.objects.none()


class SMEAdminForm(WagtailAdminModelForm):
    """The launchpad changes only for those ``scoping.can_change_launchpad`` allows; others edit the SME where it is.

    A new SME is created in the user's own launchpad (any, for a coordinator), with that
    launchpad's account managers to choose from.
    """

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        user = for_user
        sme = self.instance
        launchpad = self.fields.get("launchpad")
        if launchpad is not None and sme.pk and not scoping.can_change_launchpad(user, sme):
            # Disabled: the saved value is kept whatever the browser posts.
            launchpad.disabled = True
            launchpad.queryset = Launchpad.objects.filter(pk=sme.launchpad_id)
            launchpad.help_text = _("Only the SME's launchpad manager or a coordinator may move it.")
        if user is None or user.is_superuser or user.role == Role.COORDINATOR:
            return
        # A new SME starts in the user's own launchpad; only its manager may later send it to another.
        if launchpad is not None and not launchpad.disabled and not sme.pk:
            launchpad.queryset = Launchpad.objects.filter(pk=user.launchpad_id)
        if "primary_account_manager" in self.fields:
            self.fields["primary_account_manager"].queryset = User.objects.filter(
                role=Role.ACCOUNT_MANAGER, launchpad_id=user.launchpad_id
            )

    def _update_errors(self, errors):
        # The model's own checks may name a field this user's form leaves out (the account
        # manager, for an account manager): say it above the form instead of failing.
        if hasattr(errors, "error_dict"):
            absent = [name for name in errors.error_dict if name != NON_FIELD_ERRORS and name not in self.fields]
            if absent:
                error_dict = dict(errors.error_dict)
                moved = [error for name in absent for error in error_dict.pop(name)]
                error_dict[NON_FIELD_ERRORS] = [*error_dict.get(NON_FIELD_ERRORS, []), *moved]
                errors = ValidationError(error_dict)
        super()._update_errors(errors)


class SMEIndexView(IndexView):
    @cached_property
    def editable_ids(self) -> set[int]:
        return set(scoping.smes_editable_by(self.request.user).values_list("pk", flat=True))

    def get_edit_url(self, instance):
        # Rows the user may only read open the inspect view instead (one query for the whole page).
        if instance.pk in self.editable_ids:
            return super().get_edit_url(instance)
        return None

    def get_base_queryset(self):
        return scoping.smes_visible_to(self.request.user, super().get_base_queryset()).select_related(
            "launchpad", "primary_account_manager"
        )

    def preprocess_field_value(self, field, value, export_format):
        # Wagtail's XLSX export already writes text as text; its CSV gets the shared helper's treatment,
        # so a name such as "=HYPERLINK(...)" typed into the public questionnaire stays inert.
        value = super().preprocess_field_value(field, value, export_format)
        if export_format == self.FORMAT_CSV and isinstance(value, str):
            return spreadsheets.csv_cell(value)
        return value

    def _get_title_column(self, field_name, column_class=TitleColumn, **kwargs):
        # The SME's name opens the staff workspace; the record's edit and inspect views stay in the row's menu.
        column = super()._get_title_column(field_name, column_class, **kwargs)
        column._get_url_func = workspace_url
        return column

    def get_list_more_buttons(self, instance):
        return [
            MenuItem(gettext("Workspace"), url=workspace_url(instance), icon_name="view", priority=5),
            *super().get_list_more_buttons(instance),
        ]


class SMEInstancePermissionMixin:
    """Wagtail's generic views check the model-level permission; this adds the check on the SME opened."""

    instance_action = "view"

    def get_object(self, *args, **kwargs):
        sme = super().get_object(*args, **kwargs)
        if not self.permission_policy.user_has_permission_for_instance(self.request.user, self.instance_action, sme):
            raise PermissionDenied
        return sme


class SMEEditView(SMEInstancePermissionMixin, EditView):
    instance_action = "change"


# The answers the SME page repeats (name, website, country and sector are in the SME's details).
ENQUIRY_FIELDS = [
    "created_at",
    "submissions",
    *[name for name in ANSWER_FIELDS if name not in ("company_name", "website", "country", "sector")],
    "language",
]


# What a possible duplicate said that tells whether it is the same company.
DUPLICATE_FIELDS = [
    "created_at",
    "company_name",
    "website",
    "country",
    "town",
    "sector",
    "contact_name",
    "contact_job_title",
    "contact_email",
    "contact_phone",
    "products",
]


def _enquiry_answers(enquiry: Enquiry | None, fields: list[str] = ENQUIRY_FIELDS) -> list[tuple[str, object]]:
    """What the SME told the public questionnaire, as (question, answer) pairs for the SME page."""
    if enquiry is None:
        return []
    answers = []
    for name in fields:
        model_field = Enquiry._meta.get_field(name)
        display = getattr(enquiry, f"get_{name}_display", None)
        answers.append((capfirst(model_field.verbose_name), display() if display else getattr(enquiry, name)))
    return answers


def _possible_duplicates(sme: SME, user) -> list[dict]:
    """Later submissions that look like this SME's enquiry, with what they said and whether the user may decide."""
    duplicates = Enquiry.objects.filter(possible_duplicate_of__sme=sme).select_related("possible_duplicate_of__sme")
    return [
        {
            "enquiry": enquiry,
            "answers": _enquiry_answers(enquiry, fields=DUPLICATE_FIELDS),
            "may_resolve": scoping.can_resolve_duplicate_enquiry(user, enquiry),
            "url": reverse("smes:enquiry_resolve", args=[enquiry.pk]),
        }
        for enquiry in duplicates.order_by("created_at", "pk")
    ]


class SMEInspectView(SMEInstancePermissionMixin, InspectView):
    """The SME page: details, stage and due date, the journey steps this person may take, the timeline."""

    template_name = "journey/admin/sme_page.html"
    page_title = _("SME")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        sme, user = self.object, self.request.user
        options = sme_transition_options(sme=sme, user=user)
        context.update(
            {
                "sme": sme,
                "ready_options": [option for option in options if option.ready],
                "blocked_options": [option for option in options if not option.ready],
                "timeline": sme.stage_changes.select_related("by").order_by("-at", "-pk"),
                "checklist": ScreeningChecklist.objects.filter(sme=sme).first(),
                "enquiry_answers": _enquiry_answers(Enquiry.objects.filter(sme=sme).first()),
                "possible_duplicates": _possible_duplicates(sme, user),
                "panels": sme_panels.render(self.request, sme),
                "can_change": scoping.can_change_sme(user, sme),
                "transition_url": reverse("smes:transition", args=[sme.pk]),
                "screening_url": reverse("smes:screening", args=[sme.pk]),
                "workspace_url": workspace_url(sme),
            }
        )
        return context

    def get_header_buttons(self):
        return [
            HeaderButton(gettext("Workspace"), url=workspace_url(self.object), icon_name="view"),
            *super().get_header_buttons(),
        ]


class SMEHistoryView(SMEInstancePermissionMixin, HistoryView):
    pass


class SMEUsageView(SMEInstancePermissionMixin, UsageView):
    pass


class SMEFilterSet(WagtailFilterSet):
    overdue = django_filters.BooleanFilter(label=_("Overdue"), method="filter_overdue")
    primary_account_manager = django_filters.ModelChoiceFilter(
        label=_("Account manager"), queryset=User.objects.filter(role=Role.ACCOUNT_MANAGER)
    )

    class Meta:
        model = SME
        fields = ["launchpad", "stage", "primary_account_manager", "market_orientation", "shop_platform", "sector"]

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(overdue_q()) if value else queryset.exclude(overdue_q())


def _due_text(due) -> str:
    """A due day as the date itself, in the reader's format (never "just now": it is a day, not a moment)."""
    return formats.date_format(due, "SHORT_DATE_FORMAT") if due else "—"


def _overdue_text(days: int) -> str:
    if not days:
        return ""
    return ngettext("Overdue by %(days)s day", "Overdue by %(days)s days", days) % {"days": days}


class SMEViewSet(NamedAddLabelsMixin, ModelViewSet):
    model = SME
    add_item_label = _("Add an SME")
    new_item_label = _("New SME")
    icon = "group"
    menu_label = _("SMEs")
    menu_order = 100
    add_to_admin_menu = True
    index_view_class = SMEIndexView
    edit_view_class = SMEEditView
    inspect_view_class = SMEInspectView
    history_view_class = SMEHistoryView
    usage_view_class = SMEUsageView
    inspect_view_enabled = True
    list_display = [
        "name",
        "launchpad",
        Column("stage", label=_("Stage"), accessor="get_stage_display", sort_key="stage"),
        Column("stage_due_on", label=_("Stage due"), accessor=lambda sme: _due_text(sme.stage_due_on)),
        Column("overdue", label=_("Overdue"), accessor=lambda sme: _overdue_text(sme.days_overdue)),
        Column("market_orientation", label=_("Sells to"), accessor="get_market_orientation_display"),
        "primary_account_manager",
    ]
    filterset_class = SMEFilterSet
    list_export = [
        "name",
        "launchpad",
        "country",
        "get_stage_display",
        "stage_entered_at",
        "stage_due_on",
        "is_overdue",
        "get_sector_display",
        "get_market_orientation_display",
        "get_size_display",
        "get_shop_platform_display",
        "website",
        "primary_account_manager",
    ]
    export_headings = {
        "get_stage_display": _("Stage"),
        "stage_entered_at": _("In this stage since"),
        "stage_due_on": _("Stage due"),
        "is_overdue": _("Overdue"),
        "get_sector_display": _("Sector"),
        "get_market_orientation_display": _("Sells to"),
        "get_size_display": _("Size"),
        "get_shop_platform_display": _("Shop platform"),
    }
    export_filename = "smes"
    search_fields = ["name"]
    ordering = ["name"]
    panels = [
        MultiFieldPanel(
            [
                FieldPanel("name"),
                FieldPanel("slug"),
                FieldRowPanel([FieldPanel("launchpad"), FieldPanel("country")]),
                FieldRowPanel([FieldPanel("sector"), FieldPanel("size")]),
                FieldRowPanel([FieldPanel("market_orientation"), FieldPanel("shop_platform")]),
                FieldPanel("website"),
            ],
            heading=_("Company"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("primary_account_manager", permission="journey.assign_account_manager"),
                FieldPanel("collaborators", permission="journey.assign_account_manager"),
            ],
            heading=_("Account management"),
        ),
        InlinePanel("contacts", heading=_("Contact people"), label=_("Contact person")),
    ]

    def get_form_class(self, for_update=False):
        form_class = super().get_form_class(for_update)
        return type("SMEForm", (SMEAdminForm, form_class), {})

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("transition/<int:pk>/", sme_transition_view, name="transition"),
            path("screening/<int:pk>/", screening_view, name="screening"),
            path("enquiry/<int:pk>/resolve/", enquiry_resolve_view, name="enquiry_resolve"),
        ]


@require_POST
def sme_transition_view(request, pk):
    """Fire one journey step from the SME page; the service decides, the page says what happened."""
    sme = get_object_or_404(scoping.smes_visible_to(request.user), pk=pk)
    try:
        change = sme_transition(
            sme=sme,
            name=request.POST.get("transition", ""),
            by=request.user,
            reason=request.POST.get("reason", ""),
            override=request.POST.get("override") == "1",
        )
    except TransitionRefused as refusal:
        messages.error(request, " ".join(refusal.messages))
    else:
        messages.success(
            request,
            gettext("%(sme)s moved to “%(stage)s”.") % {"sme": sme.name, "stage": change.get_to_stage_display()},
        )
    # The staff workspace posts here too and asks to come back to itself.
    next_url = request.POST.get("next", "")
    if next_url and url_has_allowed_host_and_scheme(next_url, {request.get_host()}, require_https=request.is_secure()):
        return redirect(next_url)
    return redirect("smes:inspect", pk)


@require_POST
def enquiry_resolve_view(request, pk):
    """Merge a possible duplicate enquiry into the SME it looks like, or keep it apart with its own SME."""
    enquiry = get_object_or_404(
        Enquiry.objects.select_related("possible_duplicate_of__sme"),
        pk=pk,
        possible_duplicate_of__sme__in=scoping.smes_visible_to(request.user),
    )
    sme = enquiry.possible_duplicate_of.sme
    if not scoping.can_resolve_duplicate_enquiry(request.user, enquiry):
        raise PermissionDenied
    action = request.POST.get("action")
    try:
        if action == "merge":
            enquiries.enquiry_merge(enquiry=enquiry, by=request.user)
            messages.success(
                request,
                gettext("The enquiry from %(contact)s was merged into %(sme)s. Update the SME's details if needed.")
                % {"contact": enquiry.contact_name, "sme": sme.name},
            )
        elif action == "keep_apart":
            kept = enquiries.enquiry_keep_apart(enquiry=enquiry, by=request.user)
            messages.success(
                request,
                gettext("The enquiry from %(company)s is kept apart: it has its own SME now.")
                % {"company": kept.company_name}
                if kept.sme_id
                else gettext("The enquiry from %(company)s is kept apart.") % {"company": kept.company_name},
            )
        else:
            messages.error(request, gettext("Choose to merge the enquiry or to keep it apart."))
    except enquiries.EnquiryRefused as refusal:
        messages.error(request, str(refusal))
    return redirect("smes:inspect", sme.pk)


class ScreeningForm(forms.ModelForm):
    class Meta:
        model = ScreeningChecklist
        fields = [*ScreeningChecklist.CRITERIA, "notes"]
        widgets = {name: forms.RadioSelect for name in ScreeningChecklist.CRITERIA}


def screening_view(request, pk):
    """The screening checklist of one SME, completed by its launchpad's staff."""
    sme = get_object_or_404(scoping.smes_visible_to(request.user), pk=pk)
    if not scoping.can_change_sme(request.user, sme):
        raise PermissionDenied
    checklist = ScreeningChecklist.objects.filter(sme=sme).first() or ScreeningChecklist(sme=sme)
    form = ScreeningForm(request.POST or None, instance=checklist)
    for name in ScreeningChecklist.CRITERIA:
        form.fields[name].required = False
        form.fields[name].choices = [c for c in form.fields[name].choices if c[0]]
    if request.method == "POST" and form.is_valid():
        checklist = screening_update(sme=sme, answers=form.cleaned_data, by=request.user)
        if checklist.is_complete:
            outcome = gettext("eligible") if checklist.is_eligible else gettext("not eligible")
            messages.success(
                request, gettext("Screening checklist saved: complete, %(outcome)s.") % {"outcome": outcome}
            )
        else:
            messages.warning(
                request,
                gettext("Screening checklist saved. Still to assess: %(criteria)s.")
                % {"criteria": ", ".join(checklist.missing())},
            )
        return redirect("smes:inspect", pk)
    return TemplateResponse(
        request,
        "journey/admin/screening.html",
        {"sme": sme, "form": form, "page_title": gettext("Screening checklist"), "header_icon": "tasks"},
    )


class MySMEsPanel(Component):
    """The admin dashboard's list of the SMEs this person works with, most urgent first, per launchpad, with why."""

    name = "my_smes"
    order = 50
    rows = 30  # shown at most, the most urgent first
    template_name = "journey/admin/my_smes_panel.html"

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context):
        user = self.user
        smes = scoping.smes_on_dashboard_of(user)
        if user.role == Role.ACCOUNT_MANAGER:
            heading = _("SMEs you follow")
        else:
            heading = _("SMEs of your launchpad") if user.role == Role.LAUNCHPAD_MANAGER else _("All SMEs")
        # The most urgent ones only: a coordinator of a 1,000-SME programme reads the top, the list has the rest.
        rows = progress.by_urgency(smes, limit=self.rows)
        total = smes.count()
        groups = []
        for launchpad in Launchpad.objects.filter(pk__in={row["sme"].launchpad_id for row in rows}).order_by("code"):
            groups.append((launchpad, [row for row in rows if row["sme"].launchpad_id == launchpad.pk]))
        return {
            "heading": heading,
            "rows": rows,
            "groups": groups,
            "user": user,
            "total": total,
            "more": total - len(rows),
            "index_url": reverse("smes:index"),
        }


class PipelinePanel(Component):
    """The admin dashboard's journey pipeline: SMEs per stage per launchpad, and how many are overdue.

    Over the SMEs the whole dashboard covers (``scoping.smes_on_dashboard_of``): its overdue
    count is the one "SMEs needing attention" lists.
    """

    name = "pipeline"
    order = 40
    template_name = "journey/admin/pipeline_panel.html"

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context):
        smes = scoping.smes_on_dashboard_of(self.user).order_by()
        launchpads = list(Launchpad.objects.filter(pk__in=smes.values("launchpad")).order_by("code"))
        counts = {
            (row["stage"], row["launchpad"]): row["n"]
            for row in smes.values("stage", "launchpad").annotate(n=Count("pk"))
        }
        overdue = {
            (row["stage"], row["launchpad"]): row["n"]
            for row in smes.filter(overdue_q()).values("stage", "launchpad").annotate(n=Count("pk"))
        }
        rows = []
        for value, label in Stage.choices:
            cells = [
                {"count": counts.get((value, lp.pk), 0), "overdue": overdue.get((value, lp.pk), 0), "launchpad": lp}
                for lp in launchpads
            ]
            rows.append({"stage": value, "label": label, "cells": cells, "total": sum(c["count"] for c in cells)})
        return {
            "launchpads": launchpads,
            "rows": rows,
            "total": sum(counts.values()),
            "overdue_total": sum(overdue.values()),
            "index_url": reverse("smes:index"),
        }
