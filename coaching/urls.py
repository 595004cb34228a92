"""Routes of coaching in the portal (``/<lang>/portal/coaching/``)."""

from django.urls import path

from . import outcome_views, views
from .capture import views as capture_views

app_name = "coaching"

urlpatterns = [
    path("calendar/", views.calendar_settings, name="calendar"),
    path("captured/", capture_views.captured, name="captured"),
    path("captured/<int:pk>/confirm/", capture_views.capture_confirm, name="capture_confirm"),
    path("captured/<int:pk>/edit/", capture_views.capture_edit, name="capture_edit"),
    path("captured/<int:pk>/discard/", capture_views.capture_discard, name="capture_discard"),
    path("captured/<int:pk>/attach/", capture_views.capture_attach, name="capture_attach"),
    path("smes/<slug:slug>/capture/", capture_views.capture_upload, name="capture_upload"),
    path("launchpads/<slug:code>/progress.xlsx", views.export_launchpad, name="export_launchpad"),
    path("smes/<slug:slug>/", views.sme_coaching, name="sme"),
    path("smes/<slug:slug>/progress.xlsx", views.export_sme, name="export_sme"),
    path("smes/<slug:slug>/contacts/new/", views.contact_add, name="contact_add"),
    path("smes/<slug:slug>/contacts/<int:pk>/", views.contact_edit, name="contact_edit"),
    path("smes/<slug:slug>/sessions/new/", views.session_new, name="session_new"),
    path("smes/<slug:slug>/sessions/<int:pk>/", views.session_detail, name="session"),
    path("smes/<slug:slug>/sessions/<int:pk>/edit/", views.session_edit, name="session_edit"),
    path("smes/<slug:slug>/sessions/<int:pk>/status/", views.session_status, name="session_status"),
    path("smes/<slug:slug>/sessions/<int:pk>/session.ics", views.session_ics, name="session_ics"),
    path("smes/<slug:slug>/plan/", views.plan_detail, name="plan"),
    path("smes/<slug:slug>/plan/v<int:version>/", views.plan_detail, name="plan_version"),
    path("smes/<slug:slug>/plan/v<int:version>/plan.pdf", views.plan_pdf, name="plan_pdf"),
    path("smes/<slug:slug>/plan/edit/", views.plan_edit, name="plan_edit"),
    path("smes/<slug:slug>/plan/share/", views.plan_share, name="plan_share"),
    path("smes/<slug:slug>/plan/add-finding/", views.plan_add_finding, name="plan_add_finding"),
    path("smes/<slug:slug>/plan/actions/<int:pk>/status/", views.action_status, name="action_status"),
    path("smes/<slug:slug>/outcomes/", outcome_views.outcomes, name="outcomes"),
    path("smes/<slug:slug>/outcomes/<int:pk>/answer/", outcome_views.answer, name="outcome_answer"),
]
