"""The SMEs in the Wagtail admin, scoped by ``journey.scoping``."""

from django.core.exceptions import PermissionDenied
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.admin.ui.components import Component
from wagtail.admin.views.generic.history import HistoryView
from wagtail.admin.views.generic.models import EditView, IndexView, InspectView
from wagtail.admin.views.generic.usage import UsageView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import ModelPermissionPolicy

from . import scoping
from .models import SME, Launchpad, Role, User


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
    """Only the user's own launchpad and its account managers can be chosen."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        user = for_user
        if user is None or user.is_superuser or user.role == Role.COORDINATOR:
            return
        if "launchpad" in self.fields:
            self.fields["launchpad"].queryset = Launchpad.objects.filter(pk=user.launchpad_id)
        if "primary_account_manager" in self.fields:
            self.fields["primary_account_manager"].queryset = User.objects.filter(
                role=Role.ACCOUNT_MANAGER, launchpad_id=user.launchpad_id
            )


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


class SMEInspectView(SMEInstancePermissionMixin, InspectView):
    pass


class SMEHistoryView(SMEInstancePermissionMixin, HistoryView):
    pass


class SMEUsageView(SMEInstancePermissionMixin, UsageView):
    pass


class SMEViewSet(ModelViewSet):
    model = SME
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
    list_display = ["name", "launchpad", "sector", "shop_platform", "primary_account_manager"]
    list_filter = ["launchpad", "sector", "market_orientation", "shop_platform"]
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


class MySMEsPanel(Component):
    """The admin dashboard's list of the SMEs this person works with."""

    name = "my_smes"
    order = 50
    template_name = "journey/admin/my_smes_panel.html"

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context):
        user = self.user
        if user.role == Role.ACCOUNT_MANAGER:
            smes = scoping.smes_editable_by(user)
            heading = _("SMEs you follow")
        else:
            smes = scoping.smes_visible_to(user)
            heading = _("SMEs of your launchpad") if user.role == Role.LAUNCHPAD_MANAGER else _("All SMEs")
        smes = smes.select_related("launchpad", "primary_account_manager").order_by("launchpad__code", "name")
        return {"heading": heading, "smes": list(smes), "user": user}
