"""Open Badges documents, read by machines (``/openbadges/``, no language prefix), and the
public verification page (in the reader's language: cookie, browser, or ``?lang=``)."""

from django.urls import path

from . import views

app_name = "learning_public"

urlpatterns = [
    path("assertions/<uuid:uid>", views.assertion, name="assertion"),
    path("assertions/<uuid:uid>/badge.png", views.baked, name="baked"),
    path("assertions/<uuid:uid>/signed.jws", views.signed_assertion, name="signed_assertion"),
    path("assertions/<uuid:uid>/badge-signed.png", views.signed_baked, name="signed_baked"),
    path("assertions/<uuid:uid>/credential.jwt", views.credential, name="credential"),
    path("assertions/<uuid:uid>/credential-qr.svg", views.credential_qr, name="credential_qr"),
    path("assertions/<uuid:uid>/verify/", views.verify, name="verify"),
    path("<slug:launchpad>/issuer", views.issuer, name="issuer"),
    path("<slug:launchpad>/keys/<uuid:uid>", views.key, name="key"),
    path("<slug:launchpad>/jwks.json", views.jwks, name="jwks"),
    path("<slug:launchpad>/revocations", views.revocation_list, name="revocation_list"),
    path("<slug:launchpad>/status/revocation", views.status_list, name="status_list"),
    path("<slug:launchpad>/badges/<slug:slug>", views.badge_class, name="badge_class"),
    path("<slug:launchpad>/badges/<slug:slug>/image.png", views.badge_image, name="badge_image"),
]
