"""Authentication backend: e-mail and password sign-in, permissions from the user's role."""

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
