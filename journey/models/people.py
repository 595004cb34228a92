"""The people of the programme: staff and SME users, each with a role."""

from django.conf import settings
from django.contrib.auth.base_user import BaseUserManager
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .programme import Launchpad


class Role(models.TextChoices):
    SME_USER = "sme_user", _("SME user")
    ACCOUNT_MANAGER = "account_manager", _("Account manager")
    LAUNCHPAD_MANAGER = "launchpad_manager", _("Launchpad manager")
    COORDINATOR = "coordinator", _("Coordinator")


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        extra_fields.setdefault("role", Role.COORDINATOR)
        return self._create_user(email, password, **extra_fields)


ERASED_DOMAIN = "erased.invalid"


def erased_email(key) -> str:
    """The address that replaces an erased person's: unique, and never deliverable (RFC 2606 ``.invalid``)."""
    return f"erased-{key}@{ERASED_DOMAIN}"


class User(AbstractUser):
    """A person who signs in. Each has exactly one role; what it lets them see is in ``journey.scoping``.

    An SME user belongs to one SME; account managers and launchpad managers to one
    launchpad; coordinators to the whole programme.
    """

    username = None
    email = models.EmailField(_("e-mail address"), unique=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    launchpad = models.ForeignKey(
        Launchpad, on_delete=models.PROTECT, null=True, blank=True, related_name="staff", verbose_name=_("launchpad")
    )
    sme = models.ForeignKey(
        "SME", on_delete=models.CASCADE, null=True, blank=True, related_name="users", verbose_name=_("SME")
    )
    preferred_language = models.CharField(_("preferred language"), max_length=8, choices=settings.LANGUAGES, blank=True)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["last_name", "first_name", "email"]
        constraints = [
            # The role decides which of launchpad / SME a user is attached to.
            models.CheckConstraint(
                name="user_role_attachment",
                condition=(
                    Q(role=Role.SME_USER, sme__isnull=False, launchpad__isnull=True)
                    | Q(role__in=["account_manager", "launchpad_manager"], sme__isnull=True, launchpad__isnull=False)
                    | Q(role="coordinator", sme__isnull=True, launchpad__isnull=True)
                ),
            ),
        ]

    def __str__(self):
        return self.get_full_name() or self.email

    @property
    def is_erased(self) -> bool:
        """Their personal data was erased (privacy.erasure): the row stays for the records that name them."""
        return self.email.endswith(f"@{ERASED_DOMAIN}")

    def get_full_name(self):
        if self.is_erased:
            return str(_("a former SME user") if self.role == Role.SME_USER else _("a former staff member"))
        return super().get_full_name()

    def clean(self):
        super().clean()
        if self.role == Role.SME_USER and not self.sme_id:
            raise ValidationError({"sme": _("An SME user must belong to an SME.")})
        if self.role in (Role.ACCOUNT_MANAGER, Role.LAUNCHPAD_MANAGER) and not self.launchpad_id:
            raise ValidationError({"launchpad": _("Account managers and launchpad managers belong to a launchpad.")})

    @property
    def is_programme_staff(self) -> bool:
        return self.role in (Role.ACCOUNT_MANAGER, Role.LAUNCHPAD_MANAGER, Role.COORDINATOR) or self.is_superuser
