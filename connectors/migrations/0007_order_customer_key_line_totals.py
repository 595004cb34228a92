from decimal import Decimal

from django.db import migrations, models
from django.db.models import Exists, F, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce


def line_totals(apps, schema_editor):
    """The orders already stored get their lines' total and whether one was sold (writer.line_totals_refresh)."""
    Order = apps.get_model("connectors", "Order")
    OrderLine = apps.get_model("connectors", "OrderLine")
    lines = OrderLine.objects.filter(order_id=OuterRef("pk")).order_by().values("order_id")
    Order.objects.update(
        lines_total=Coalesce(
            Subquery(lines.annotate(_t=Sum(F("quantity") * F("unit_price"))).values("_t")), Value(Decimal(0))
        ),
        has_sale=Exists(OrderLine.objects.filter(order_id=OuterRef("pk"), quantity__gt=0)),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("connectors", "0006_webhook_deliveries"),
        ("journey", "0007_move_reviews_to_reporting"),
    ]

    operations = [
        migrations.AddField(
            model_name="order",
            name="customer_key",
            field=models.CharField(blank=True, default="", max_length=32, verbose_name="customer key"),
        ),
        migrations.AddIndex(
            model_name="order",
            index=models.Index(fields=["sme", "customer_key", "placed_at"], name="order_sme_customer_first"),
        ),
        migrations.AddField(
            model_name="order",
            name="has_sale",
            field=models.BooleanField(db_default=False, default=False, verbose_name="has a line sold"),
        ),
        migrations.AddField(
            model_name="order",
            name="lines_total",
            field=models.DecimalField(
                db_default=Decimal("0"), decimal_places=4, default=0, max_digits=18, verbose_name="lines total"
            ),
        ),
        migrations.RunPython(line_totals, migrations.RunPython.noop),
    ]
