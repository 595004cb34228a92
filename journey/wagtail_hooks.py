"""Registers the journey app's admin screens and dashboard panel with Wagtail."""

from django.db import models
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.search import SearchArea
from wagtail.models import ModelLogEntry
from wagtail.permissions import register_permission_policy

from . import scoping
from .admin import MySMEsPanel, PipelinePanel, SMEPermissionPolicy, SMEViewSet
from .models import SME, ScopedModelLogEntry

register_permission_policy(SME, SMEPermissionPolicy(SME))


@hooks.register("register_log_actions", order=1000)
def scope_model_log_entries(actions):
    """Model log entries are read through journey.scoping: the site history shows an SME's edits to those who see it.

    Runs after Wagtail's own registration (order): the scoped proxy takes the place of
    ``ModelLogEntry`` for every model, and the report no longer reads the unscoped one.
    """
    actions.register_model(models.Model, ScopedModelLogEntry)
    actions.log_entry_models.discard(ModelLogEntry)


@hooks.register("register_admin_viewset")
def register_sme_viewset():
    return SMEViewSet("smes")


@hooks.register("construct_homepage_panels")
def add_my_smes_panel(request, panels):
    if request.user.is_programme_staff:
        panels.append(PipelinePanel(request.user))
        panels.append(MySMEsPanel(request.user))


class _SMESearchArea(SearchArea):
    def is_shown(self, request):
        return scoping.is_programme_staff(request.user)


@hooks.register("register_admin_search_area")
def register_sme_search_area():
    # The admin's search box finds SMEs by name; each result opens the SME's workspace.
    return _SMESearchArea(_("SMEs"), reverse_lazy("smes:index"), name="smes", icon_name="group", order=50)
