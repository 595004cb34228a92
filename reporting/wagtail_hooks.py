"""Registers programme reporting's admin screens with Wagtail: the dashboard and the quarterly reviews."""

from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from journey import scoping


@hooks.register("register_admin_urls")
def register_review_urls():
    from django.urls import include, path

    from . import views as reviews

    patterns = [
        path("", reviews.review_list, name="list"),
        path("new/", reviews.review_create_view, name="create"),
        path("dashboard/", reviews.programme_dashboard, name="dashboard"),
        path("<int:pk>/", reviews.review_detail, name="detail"),
        path("<int:pk>/edit/", reviews.review_edit, name="edit"),
        path("<int:pk>/lessons/", reviews.lesson_add_view, name="lesson_add"),
        path("<int:pk>/publish/", reviews.review_publish_view, name="publish"),
        path("<int:pk>/correct/", reviews.review_correct_view, name="correct"),
        path("<int:pk>/pdf/", reviews.review_pdf, name="pdf"),
        path("<int:pk>/xlsx/", reviews.review_xlsx, name="xlsx"),
    ]
    return [path("programme/", include((patterns, "reviews"), namespace="reviews"))]


class _ReportsMenuItem(MenuItem):
    def is_shown(self, request):
        return scoping.can_view_reports(request.user)


@hooks.register("register_admin_menu_item")
def register_reports_menu():
    return SubmenuMenuItem(
        _("Programme"),
        Menu(
            items=[
                _ReportsMenuItem(_("Dashboard"), reverse_lazy("reviews:dashboard"), icon_name="site", order=10),
                _ReportsMenuItem(_("Quarterly reviews"), reverse_lazy("reviews:list"), icon_name="doc-full", order=20),
            ]
        ),
        icon_name="table",
        order=250,
    )
