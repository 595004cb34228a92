"""Target markets become measurable: the free-text country moves to ``country_text`` and a code is set where it matches."""

from django.db import migrations, models


def codes_from_text(apps, schema_editor):
    from coaching.countries import match_country
    from coaching.markets import classify_channel_text

    TargetMarket = apps.get_model("coaching", "TargetMarket")
    for market in TargetMarket.objects.all().iterator():
        code = match_country(market.country_text)
        if code:
            market.country, market.country_text = code, ""
        market.sales_channel = classify_channel_text(market.channel)
        market.save(update_fields=["country", "country_text", "sales_channel"])


def text_from_codes(apps, schema_editor):
    from coaching.countries import country_name

    TargetMarket = apps.get_model("coaching", "TargetMarket")
    for market in TargetMarket.objects.exclude(country=""):
        market.country_text = country_name(market.country, "en")
        market.save(update_fields=["country_text"])


class Migration(migrations.Migration):
    dependencies = [("coaching", "0002_capture_mailbox")]

    operations = [
        migrations.RenameField("targetmarket", "country", "country_text"),
        migrations.AlterField(
            "targetmarket",
            "country_text",
            models.CharField(blank=True, max_length=100, verbose_name="country as first written"),
        ),
        migrations.AddField(
            "targetmarket",
            "country",
            models.CharField(blank=True, help_text="Leave empty for any country.", max_length=2,
                             verbose_name="country"),
        ),  # fmt: skip
        migrations.AddField(
            "targetmarket",
            "sales_channel",
            models.CharField(
                choices=[("any", "Any channel"), ("web", "Web shop"), ("marketplace", "Marketplace"),
                         ("b2b", "B2B / wholesale")],
                default="any", max_length=12, verbose_name="channel",
            ),
        ),  # fmt: skip
        migrations.AlterField(
            "targetmarket",
            "segment",
            models.CharField(blank=True, max_length=200, verbose_name="customer segment"),
        ),
        migrations.AlterField(
            "targetmarket",
            "channel",
            models.CharField(blank=True, help_text="e.g. the marketplace's name", max_length=200,
                             verbose_name="channel details"),
        ),  # fmt: skip
        migrations.RunPython(codes_from_text, text_from_codes),
    ]
