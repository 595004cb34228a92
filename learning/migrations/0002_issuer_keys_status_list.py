"""Open Badges 3.0 that wallets accept: rotating issuer keys (several per launchpad, one
active, each with its own public address) and a random status-list index per award.

Existing keys get their own uid and stay active; existing awards get a random index.
"""

import secrets
import uuid

import django.db.models.deletion
from django.db import migrations, models

LIST_BITS = 131072


def keys_uid(apps, schema_editor):
    IssuerKey = apps.get_model("learning", "IssuerKey")
    for key in IssuerKey.objects.all():
        key.uid = uuid.uuid4()
        key.save(update_fields=["uid"])


def awards_status_index(apps, schema_editor):
    BadgeAward = apps.get_model("learning", "BadgeAward")
    used = set()
    for award in BadgeAward.objects.order_by("pk"):
        index = secrets.randbelow(LIST_BITS)
        while index in used:
            index = secrets.randbelow(LIST_BITS)
        used.add(index)
        award.status_index = index
        award.save(update_fields=["status_index"])


class Migration(migrations.Migration):
    dependencies = [
        ("learning", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="issuerkey",
            name="launchpad",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="+", to="journey.launchpad"
            ),
        ),
        migrations.AddField(
            model_name="issuerkey",
            name="retired_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="retired"),
        ),
        migrations.AddField(
            model_name="issuerkey",
            name="uid",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.RunPython(keys_uid, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="issuerkey",
            name="uid",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
        migrations.AlterModelOptions(
            name="issuerkey",
            options={
                "ordering": ["created_at", "pk"],
                "verbose_name": "issuer key",
                "verbose_name_plural": "issuer keys",
            },
        ),
        migrations.AddConstraint(
            model_name="issuerkey",
            constraint=models.UniqueConstraint(
                condition=models.Q(("retired_at__isnull", True)), fields=("launchpad",), name="issuerkey_one_active"
            ),
        ),
        migrations.AddField(
            model_name="badgeaward",
            name="status_index",
            field=models.PositiveIntegerField(editable=False, null=True, unique=True),
        ),
        migrations.RunPython(awards_status_index, migrations.RunPython.noop),
    ]
