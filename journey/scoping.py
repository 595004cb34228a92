"""Who may see or change which SME: the one place that decides it.

Every view, admin screen, export and task asks this module, either as a queryset
filter (``smes_visible_to``, ``scope_to_visible``) or as an object check
(``can_view_sme``, ``can_change_sme``). The rules follow DESIGN.md, "Users and what each
may see":

* SME user — their own company only (read); edits its own data sources and targets.
* Account manager — every SME of their launchpad (read), plus SMEs of the other
  launchpad shared with them as a cross-launchpad collaborator; changes the SMEs
  assigned to them or shared with them.
* Launchpad manager — everything of their launchpad (read and change); assigns
  account managers.
* Coordinator — every SME (read).
* Superuser — everything.

The role's model-level permissions (what the Wagtail admin asks through
``user.has_perm``) are also decided here, in ``ROLE_PERMISSIONS``.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast

from .models import SME, Launchpad, Role

STAFF_ADMIN = "wagtailadmin.access_admin"

# Badge classes (learning's admin snippets) are programme content: the programme's staff write them.
_BADGE_CLASSES = frozenset(f"learning.{action}_badgeclass" for action in ("view", "add", "change", "delete"))

# Exchange rates (connectors' admin snippets) convert foreign-currency amounts: programme data its
# managers and coordinators keep.
_EXCHANGE_RATES = frozenset(f"connectors.{action}_exchangerate" for action in ("view", "add", "change", "delete"))

# Messages sent through the public contact page (cms): read by the staff of the launchpad they went to.
_CONTACT_MESSAGES = "cms.view_contactmessage"

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.SME_USER: frozenset(),
    Role.ACCOUNT_MANAGER: frozenset(
        {
            STAFF_ADMIN,
            "journey.view_sme",
            "journey.change_sme",
            "journey.add_sme",
            "journey.view_launchpad",
            "learning.view_badgeclass",
            _CONTACT_MESSAGES,
        }
    ),
    Role.LAUNCHPAD_MANAGER: frozenset(
        {
            STAFF_ADMIN,
            "journey.view_sme",
            "journey.change_sme",
            "journey.add_sme",
            "journey.assign_account_manager",
            "journey.view_launchpad",
            _CONTACT_MESSAGES,
        }
        | _BADGE_CLASSES
        | _EXCHANGE_RATES
    ),
    Role.COORDINATOR: frozenset(
        {STAFF_ADMIN, "journey.view_sme", "journey.view_launchpad", _CONTACT_MESSAGES}
        | _BADGE_CLASSES
        | _EXCHANGE_RATES
    ),
}

# Permissions about one SME, checked against the SME itself when an object is given.
_CHANGE_PERMISSIONS = {"journey.change_sme", "journey.assign_account_manager"}


def _active(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def role_permissions(user) -> frozenset[str]:
    """The model-level permissions the user's role grants (none when signed out or inactive)."""
    if not _active(user):
        return frozenset()
    return ROLE_PERMISSIONS.get(user.role, frozenset())


def smes_visible_to(user, queryset: QuerySet[SME] | None = None) -> QuerySet[SME]:
    """The SMEs this user may see."""
    smes = SME.objects.all() if queryset is None else queryset
    if not _active(user):
        return smes.none()
    if user.is_superuser or user.role == Role.COORDINATOR:
        return smes
    if user.role == Role.SME_USER:
        return smes.filter(pk=user.sme_id)
    if user.role == Role.LAUNCHPAD_MANAGER:
        return smes.filter(launchpad_id=user.launchpad_id)
    if user.role == Role.ACCOUNT_MANAGER:
        return smes.filter(Q(launchpad_id=user.launchpad_id) | Q(collaborators=user)).distinct()
    return smes.none()


def smes_editable_by(user, queryset: QuerySet[SME] | None = None) -> QuerySet[SME]:
    """The SMEs whose record, journey and coaching this user may change."""
    smes = SME.objects.all() if queryset is None else queryset
    if not _active(user):
        return smes.none()
    if user.is_superuser:
        return smes
    if user.role == Role.LAUNCHPAD_MANAGER:
        return smes.filter(launchpad_id=user.launchpad_id)
    if user.role == Role.ACCOUNT_MANAGER:
        return smes.filter(Q(primary_account_manager=user) | Q(collaborators=user)).distinct()
    return smes.none()


def smes_on_dashboard_of(user) -> QuerySet[SME]:
    """The SMEs a person's admin dashboard covers (pipeline, needing attention, their list): all its panels agree.

    An account manager's own and shared SMEs; everyone else's visible ones.
    """
    if _active(user) and not user.is_superuser and user.role == Role.ACCOUNT_MANAGER:
        return SME.objects.filter(pk__in=smes_editable_by(user).values("pk"))
    return smes_visible_to(user)


def scope_to_visible(user, queryset: QuerySet, *, sme_path: str = "sme") -> QuerySet:
    """Filter any queryset of things that belong to an SME down to what the user may see.

    ``sme_path`` is the lookup from the queryset's model to its SME (``"sme"``,
    ``"order__sme"``, …).
    """
    return queryset.filter(**{f"{sme_path}__in": smes_visible_to(user).values("pk")})


def scope_to_editable(user, queryset: QuerySet, *, sme_path: str = "sme") -> QuerySet:
    """Filter any queryset of things that belong to an SME down to what the user may change."""
    return queryset.filter(**{f"{sme_path}__in": smes_editable_by(user).values("pk")})


def scope_log_entries(user, queryset: QuerySet) -> QuerySet:
    """Wagtail's model log entries (the site history) down to those the user may read.

    An SME's entries go to those who may see that SME; other models' entries are left to
    Wagtail's own check on the model permission.
    """
    if not _active(user):
        return queryset.none()
    if user.is_superuser or user.role == Role.COORDINATOR:
        return queryset
    visible = smes_visible_to(user).order_by().annotate(pk_text=Cast("pk", CharField())).values("pk_text")
    return queryset.filter(~Q(content_type=ContentType.objects.get_for_model(SME)) | Q(object_id__in=visible))


def _is_collaborator(user, sme: SME) -> bool:
    return sme.collaborators.filter(pk=user.pk).exists()


def can_view_sme(user, sme: SME) -> bool:
    """May this user see this SME and everything that belongs to it?"""
    if not _active(user):
        return False
    if user.is_superuser or user.role == Role.COORDINATOR:
        return True
    if user.role == Role.SME_USER:
        return user.sme_id == sme.pk
    if user.role == Role.LAUNCHPAD_MANAGER:
        return user.launchpad_id == sme.launchpad_id
    if user.role == Role.ACCOUNT_MANAGER:
        return user.launchpad_id == sme.launchpad_id or _is_collaborator(user, sme)
    return False


def can_change_sme(user, sme: SME) -> bool:
    """May this user change this SME: its record, journey, progress sheet, sessions and plan?"""
    if not _active(user):
        return False
    if user.is_superuser:
        return True
    if user.role == Role.LAUNCHPAD_MANAGER:
        return user.launchpad_id == sme.launchpad_id
    if user.role == Role.ACCOUNT_MANAGER:
        return sme.primary_account_manager_id == user.pk or _is_collaborator(user, sme)
    return False


def can_change_launchpad(user, sme: SME) -> bool:
    """May this user move this SME to another launchpad?

    Only its own launchpad's manager and the coordinators: an account manager or a
    cross-launchpad collaborator edits the SME where it is.
    """
    if not _active(user):
        return False
    if user.is_superuser or user.role == Role.COORDINATOR:
        return True
    return user.role == Role.LAUNCHPAD_MANAGER and user.launchpad_id == sme.launchpad_id


def can_resolve_duplicate_enquiry(user, enquiry) -> bool:
    """May this user merge an enquiry flagged as a possible duplicate, or keep it apart?

    Those who may change the SME of the enquiry it looks like (its account managers and its
    launchpad manager): they know the company, and a merge adds to that SME.
    """
    original = enquiry.possible_duplicate_of
    if original is None or not _active(user):
        return False
    if user.is_superuser:
        return True
    return original.sme is not None and can_change_sme(user, original.sme)


def can_move_sme(user, sme: SME) -> bool:
    """May this user fire journey transitions on this SME?

    Those who may change it (its account managers, its launchpad manager) and the
    coordinators; SME users never.
    """
    if _active(user) and user.role == Role.COORDINATOR:
        return True
    return can_change_sme(user, sme)


def can_override_conditions(user, sme: SME) -> bool:
    """May this user move the SME on although a condition fails (always with a written reason)?"""
    if not _active(user):
        return False
    if user.is_superuser or user.role == Role.COORDINATOR:
        return True
    return user.role == Role.LAUNCHPAD_MANAGER and user.launchpad_id == sme.launchpad_id


def can_reopen(user, sme: SME) -> bool:
    """Reopening a closed SME (ineligible, declined, withdrawn, completed) is for coordinators."""
    return _active(user) and (user.is_superuser or user.role == Role.COORDINATOR)


def is_own_company(user, sme: SME) -> bool:
    """Is this SME the user's own company (the user is one of its SME users)?"""
    return _active(user) and user.role == Role.SME_USER and user.sme_id == sme.pk


def can_edit_company_data(user, sme: SME) -> bool:
    """May this user edit the SME's own inputs — its data sources and targets?

    The SME's own users may, and so may the staff who may change the SME.
    """
    return is_own_company(user, sme) or can_change_sme(user, sme)


def can_set_shop_currency(user, sme: SME) -> bool:
    """May this user set the currency of the SME's data sources (the shop's own currency)?

    The SME's own users (they know their books) and the staff who may change the SME: its
    account managers and its launchpad manager. Coordinators read, and leave it to them.
    """
    return can_edit_company_data(user, sme)


def can_confirm_outcomes(user, sme: SME) -> bool:
    """May this user answer "did the programme help?" for the SME's outcomes?

    Only the SME's own people: like an export win in Data Hub, the customer confirms, and
    staff may not answer in its place.
    """
    return is_own_company(user, sme)


def can_assign_account_managers(user, launchpad: Launchpad) -> bool:
    """May this user choose the account managers of this launchpad's SMEs?"""
    if not _active(user):
        return False
    if user.is_superuser:
        return True
    return user.role == Role.LAUNCHPAD_MANAGER and user.launchpad_id == launchpad.pk


def has_object_permission(user, perm: str, obj) -> bool:
    """Object-level check behind ``user.has_perm(perm, obj)`` for SMEs."""
    if not isinstance(obj, SME) or perm not in role_permissions(user):
        return False
    if perm == "journey.assign_account_manager":
        return can_assign_account_managers(user, obj.launchpad)
    if perm in _CHANGE_PERMISSIONS:
        return can_change_sme(user, obj)
    return can_view_sme(user, obj)


__all__ = [
    "ROLE_PERMISSIONS",
    "can_assign_account_managers",
    "can_change_launchpad",
    "can_change_sme",
    "can_edit_company_data",
    "can_move_sme",
    "can_override_conditions",
    "can_reopen",
    "can_resolve_duplicate_enquiry",
    "can_view_sme",
    "has_object_permission",
    "is_own_company",
    "launchpads_served_by",
    "role_permissions",
    "scope_log_entries",
    "scope_to_editable",
    "scope_to_visible",
    "smes_editable_by",
    "smes_visible_to",
]


def reportable_launchpads(user) -> QuerySet[Launchpad]:
    """The launchpads whose programme figures this user may read: all for a coordinator, their own for a manager."""
    if not _active(user):
        return Launchpad.objects.none()
    if user.is_superuser or user.role == Role.COORDINATOR:
        return Launchpad.objects.order_by("code")
    if user.role == Role.LAUNCHPAD_MANAGER and user.launchpad_id:
        return Launchpad.objects.filter(pk=user.launchpad_id)
    return Launchpad.objects.none()


def launchpads_whose_issuer_keys_rotate(user) -> QuerySet[Launchpad]:
    """The launchpads whose Open Badges signing key this user may rotate: every launchpad for a
    coordinator, their own for a launchpad manager; nobody else (a rotation changes what every
    new credential of the launchpad is signed with)."""
    if not _active(user):
        return Launchpad.objects.none()
    if user.is_superuser or user.role == Role.COORDINATOR:
        return Launchpad.objects.order_by("code")
    if user.role == Role.LAUNCHPAD_MANAGER and user.launchpad_id:
        return Launchpad.objects.filter(pk=user.launchpad_id)
    return Launchpad.objects.none()


def can_rotate_issuer_keys(user) -> bool:
    """Does this user rotate some launchpad's signing key (the admin's "Signing keys" screen)?"""
    return launchpads_whose_issuer_keys_rotate(user).exists()


def launchpads_served_by(user) -> QuerySet[Launchpad]:
    """The launchpads whose visitors' messages this user reads: all for a coordinator, their own for its staff."""
    if not _active(user):
        return Launchpad.objects.none()
    if user.is_superuser or user.role == Role.COORDINATOR:
        return Launchpad.objects.all()
    if user.role in (Role.LAUNCHPAD_MANAGER, Role.ACCOUNT_MANAGER) and user.launchpad_id:
        return Launchpad.objects.filter(pk=user.launchpad_id)
    return Launchpad.objects.none()


def can_view_reports(user) -> bool:
    """Quarterly reviews and the programme dashboard: coordinators and launchpad managers."""
    return reportable_launchpads(user).exists()


def can_edit_reviews(user) -> bool:
    """Draft, correct and publish quarterly reviews: coordinators only (they report the whole programme)."""
    return _active(user) and (user.is_superuser or user.role == Role.COORDINATOR)


def is_programme_staff(user) -> bool:
    """Account managers, launchpad managers and coordinators: the people who keep the SMEs' records."""
    return "journey.view_sme" in role_permissions(user)


def can_view_progress_sheet(user, sme: SME) -> bool:
    """The progress sheet (every contact) is the staff's record: programme staff who see the SME, not the SME."""
    return is_programme_staff(user) and can_view_sme(user, sme)


def can_view_workspace(user, sme: SME) -> bool:
    """The staff SME workspace: programme staff who see the SME; acting on it is ``can_move_sme``/``can_change_sme``."""
    return is_programme_staff(user) and can_view_sme(user, sme)


def can_view_refresh_progress(user) -> bool:
    """The nightly refresh's progress page: programme staff, each counting the SMEs they see (``smes_visible_to``)."""
    return is_programme_staff(user)


def can_handle_personal_data_desk(user) -> bool:
    """The personal-data desk (privacy): coordinators and launchpad managers."""
    return _active(user) and (user.is_superuser or user.role in (Role.COORDINATOR, Role.LAUNCHPAD_MANAGER))


def can_handle_personal_data(user, launchpad_ids) -> bool:
    """Export or erase a person's data (privacy): a coordinator for anyone; a launchpad manager for a person
    whose every record is of their own launchpad (a person of no launchpad, or of both, is the coordinators')."""
    if not can_handle_personal_data_desk(user):
        return False
    if user.is_superuser or user.role == Role.COORDINATOR:
        return True
    launchpad_ids = set(launchpad_ids)
    return bool(launchpad_ids) and launchpad_ids == {user.launchpad_id}
