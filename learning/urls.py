"""Routes of learning in the portal (``/<lang>/portal/learning/``); course pages are Wagtail's."""

from django.urls import path

from . import views

app_name = "learning"

urlpatterns = [
    path("", views.my_learning, name="my_learning"),
    path("badges/", views.my_badges, name="my_badges"),
    path("smes/<slug:slug>/", views.sme_detail, name="sme"),
    path("smes/<slug:slug>/award/", views.award, name="award"),
    path("awards/<uuid:uid>/revoke/", views.revoke, name="revoke"),
]
