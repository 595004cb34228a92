from django.urls import path, reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from journey import scoping

from .admin_views import refresh_progress_view


@hooks.register("register_admin_urls")
def register_refresh_urls():
    return [path("refresh/", refresh_progress_view, name="toolkit_refresh_progress")]


class _RefreshMenuItem(MenuItem):
    def is_shown(self, request):
        return scoping.can_view_refresh_progress(request.user)


@hooks.register("register_admin_menu_item")
def register_refresh_menu_item():
    return _RefreshMenuItem(
        _("Nightly refresh"), reverse_lazy("toolkit_refresh_progress"), icon_name="resubmit", order=260
    )
