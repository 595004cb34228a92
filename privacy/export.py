"""Subject access export (Art. 15, 20): one ZIP of everything held about a person.

* ``data.json``: every section, for machines;
* ``data.xlsx`` and one CSV per section (journey.spreadsheets: no text ever becomes a formula);
* ``summary.pdf``: a short summary in the person's language (WeasyPrint);
* ``files/``: the files they uploaded (documents, images, their avatar).
"""

from __future__ import annotations

import datetime
import decimal
import io
import json
import zipfile
from functools import reduce
from operator import or_

from django.db import models
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.users.models import UserProfile

from coaching.models import ActionStatusChange, Contact, Plan, Session
from journey import spreadsheets
from journey.models import ScopedModelLogEntry, StageChange, User

from .people import KIND_LABELS, Person

SECTIONS = {
    "profile": _("Profile and roles"),
    "contact_people": _("SME contact person"),
    "enquiries": _("Questionnaire answers"),
    "contact_messages": _("Contact messages"),
    "contacts": _("Contacts with the programme"),
    "sessions": _("Coaching sessions"),
    "plans": _("Plans written"),
    "stage_changes": _("Stage changes made"),
    "action_changes": _("Plan actions updated"),
    "badge_awards": _("Badge awards"),
    "captured_messages": _("Logged e-mails"),
    "audit_log": _("Audit log entries"),
    "files": _("Files uploaded"),
}
HIDDEN_FIELDS = {"password", "salt", "token_hash", "token_encrypted", "credentials_token"}


def _value(value):
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return str(value)
    if hasattr(value, "name") and hasattr(value, "url"):  # a file
        return value.name or ""
    if value is None or isinstance(value, str | int | float | bool | list | dict):
        return value
    return str(value)  # UUIDs, time zones


def row(instance: models.Model, *, exclude: tuple[str, ...] = ()) -> dict:
    """A model row as plain JSON values: related rows by their name, choices by their label."""
    data = {}
    for f in instance._meta.concrete_fields:
        if f.name in HIDDEN_FIELDS or f.name in exclude:
            continue
        if f.is_relation:
            value = getattr(instance, f.name)
        elif f.choices:
            value = str(getattr(instance, f"get_{f.name}_display")())
        else:
            value = getattr(instance, f.attname)
        data[f.name] = _value(value)
    for f in instance._meta.many_to_many:
        if f.name not in exclude:
            data[f.name] = [str(item) for item in getattr(instance, f.name).all()]
    return data


def _named(fields: list[str], names: list[str]) -> Q:
    conditions = [Q(**{f"{f}__icontains": name}) for f in fields for name in names]
    return reduce(or_, conditions) if conditions else Q(pk__in=[])


def sections(person: Person) -> dict[str, list[dict]]:
    """Everything held about the person, by section."""
    users = person.users
    names = person.names
    data: dict[str, list[dict]] = {key: [] for key in SECTIONS}
    for user in users:
        profile = row(user, exclude=("user_permissions",))
        profile["role"] = str(user.get_role_display())
        data["profile"].append(profile)
    data["contact_people"] = [row(p) for p in person.contact_people]
    data["enquiries"] = [row(e, exclude=("possible_duplicate_of",)) for e in person.enquiries]
    data["contact_messages"] = [row(m) for m in person.contact_messages]
    data["contacts"] = [
        row(c)
        for c in Contact.objects.filter(
            Q(author__in=users) | _named(["participants", "summary", "follow_up"], names)
        ).distinct()
    ]
    data["sessions"] = [
        row(s)
        for s in Session.objects.filter(
            Q(organiser__in=users) | Q(participants__in=users) | _named(["other_participants", "notes"], names)
        ).distinct()
    ]
    data["plans"] = [row(p) for p in Plan.objects.filter(Q(created_by__in=users) | Q(shared_by__in=users))]
    data["stage_changes"] = [row(s) for s in StageChange.objects.filter(by__in=users)]
    data["action_changes"] = [row(a) for a in ActionStatusChange.objects.filter(by__in=users)]
    data["badge_awards"] = [row(a) for a in person.badge_awards]
    data["captured_messages"] = [row(m, exclude=("candidates",)) for m in person.captured_messages]
    about_them = Q(user__in=users) | _named(["label"], [person.email, *names])
    if users:
        about_them |= Q(content_type__app_label="journey", content_type__model="user") & Q(
            object_id__in=[str(u.pk) for u in users]
        )
    data["audit_log"] = [
        row(entry, exclude=("revision",)) for entry in ScopedModelLogEntry.objects.filter(about_them).distinct()
    ]
    data["files"] = [{"kind": kind, "title": obj.title, "file": obj.file.name} for kind, obj in _uploads(users)]
    data["files"] += [
        {"kind": "avatar", "title": "", "file": p.avatar.name}
        for p in UserProfile.objects.filter(user__in=users)
        if p.avatar
    ]
    return data


def _uploads(users: list[User]):
    for kind, model in (("document", get_document_model()), ("image", get_image_model())):
        for obj in model.objects.filter(uploaded_by_user__in=users):
            yield kind, obj


def _files(person: Person):
    for _kind, obj in _uploads(person.users):
        yield obj.file
    for profile in UserProfile.objects.filter(user__in=person.users):
        if profile.avatar:
            yield profile.avatar


def xlsx(data: dict[str, list[dict]], language: str) -> bytes:
    book = spreadsheets.xlsx_workbook()
    taken: set[str] = set()
    with translation.override(language):
        for key, rows in data.items():
            header = _header(rows)
            sheet = spreadsheets.xlsx_sheet(book, str(SECTIONS[key]), header or [str(_("Nothing held"))], taken=taken)
            for item in rows:
                spreadsheets.xlsx_append(sheet, [_cell(item.get(column)) for column in header])
            spreadsheets.xlsx_fit_columns(sheet)
    return spreadsheets.xlsx_bytes(book)


def _header(rows: list[dict]) -> list[str]:
    header: list[str] = []
    for item in rows:
        header += [key for key in item if key not in header]
    return header


def _cell(value):
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return value


def pdf(person: Person, data: dict[str, list[dict]]) -> bytes:
    from weasyprint import HTML

    with translation.override(person.language):
        html = render_to_string(
            "privacy/summary_pdf.html",
            {
                "person": person,
                "kinds": [str(KIND_LABELS[kind]) for kind in person.kinds],
                "counts": [(str(SECTIONS[key]), len(rows)) for key, rows in data.items()],
                "profile": data["profile"],
                "made_at": timezone.now(),
                "language": person.language,
            },
        )
    return HTML(string=html).write_pdf()


def zip_bytes(person: Person) -> bytes:
    """The whole export as one ZIP, its labels (roles, statuses, channels) in the person's language."""
    with translation.override(person.language):
        data = sections(person)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        document = {"email": person.email, "kinds": person.kinds, "made_at": timezone.now().isoformat(), **data}
        archive.writestr("data.json", json.dumps(document, ensure_ascii=False, indent=2, default=str))
        for key, rows in data.items():
            header = _header(rows)
            archive.writestr(
                f"csv/{key}.csv", spreadsheets.csv_bytes([header, *([_cell(r.get(c)) for c in header] for r in rows)])
            )
        archive.writestr("data.xlsx", xlsx(data, person.language))
        archive.writestr("summary.pdf", pdf(person, data))
        for index, stored in enumerate(_files(person), start=1):
            try:
                with stored.open("rb") as handle:
                    archive.writestr(f"files/{index}-{stored.name.rsplit('/', 1)[-1]}", handle.read())
            except (FileNotFoundError, OSError):
                continue
    return out.getvalue()
