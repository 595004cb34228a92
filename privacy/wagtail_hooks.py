"""Registers the personal-data desk in Wagtail's admin menu, for coordinators and launchpad managers."""

from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from journey import scoping


class _DeskMenuItem(MenuItem):
    def is_shown(self, request):
        return scoping.can_handle_personal_data_desk(request.user)


@hooks.register("register_admin_menu_item")
def register_desk_menu():
    return _DeskMenuItem(_("Personal data"), reverse_lazy("privacy:desk"), icon_name="user", order=260)
