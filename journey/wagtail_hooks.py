"""Registers the journey app's admin screens and dashboard panel with Wagtail."""

from wagtail import hooks
from wagtail.permissions import register_permission_policy

from .admin import MySMEsPanel, PipelinePanel, SMEPermissionPolicy, SMEViewSet
from .models import SME

register_permission_policy(SME, SMEPermissionPolicy(SME))


@hooks.register("register_admin_viewset")
def register_sme_viewset():
    return SMEViewSet("smes")


@hooks.register("construct_homepage_panels")
def add_my_smes_panel(request, panels):
    if request.user.is_programme_staff:
        panels.append(PipelinePanel(request.user))
        panels.append(MySMEsPanel(request.user))
