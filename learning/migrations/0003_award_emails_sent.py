"""When a badge's holders were told: on earning it, and a month before it expires (each once)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("learning", "0002_issuer_keys_status_list"),
    ]

    operations = [
        migrations.AddField(
            model_name="badgeaward",
            name="earned_email_sent_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="badgeaward",
            name="expiry_warning_sent_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
    ]
