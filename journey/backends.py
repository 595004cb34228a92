"""Authentication backend: e-mail and password sign-in, permissions from the user's role."""

from axes.backends import AxesStandaloneBackend
from django.contrib.auth.backends import ModelBackend

from . import scoping


class RoleBackend(ModelBackend):
    """Grants each role the permissions listed in ``journey.scoping.ROLE_PERMISSIONS``.

    Group and per-user permissions from Django's tables still apply on top (ModelBackend),
    so an administrator can grant an extra permission without a code change.
    """

    def get_all_permissions(self, user_obj, obj=None):
        if obj is not None:
            return set()
        return set(scoping.role_permissions(user_obj)) | super().get_all_permissions(user_obj)

    def has_perm(self, user_obj, perm, obj=None):
        if obj is not None:
            return scoping.has_object_permission(user_obj, perm, obj)
        return super().has_perm(user_obj, perm)


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' lock-out check, for every sign-in made through a web request.

    A sign-in without a request (the test client's ``login``, a management command) has no
    address to count and no form to lock: it goes on to the next backend unchecked, instead
    of axes' error. Every sign-in form (ours, Wagtail's) passes the request.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
