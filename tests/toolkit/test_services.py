"""The toolkit's writes: an SME's targets."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tests.journey.factories import SMEFactory
from toolkit import services
from toolkit.models import Metric, Target

pytestmark = pytest.mark.django_db

DUE = datetime.date(2030, 1, 31)


def test_a_target_is_added_to_the_sme_money_to_the_cent():
    sme = SMEFactory()
    target = services.target_add(sme=sme, metric=Metric.SALES, value=Decimal("1250.5"), due=DUE)
    assert str(target.value) == "1250.50"
    target.refresh_from_db()
    assert (target.sme, target.metric, target.value, target.due) == (sme, Metric.SALES, Decimal("1250.50"), DUE)


def test_a_target_with_an_unknown_measure_is_refused_and_nothing_is_written():
    with pytest.raises(ValidationError):
        services.target_add(sme=SMEFactory(), metric="visits", value=Decimal(10), due=DUE)
    assert not Target.objects.exists()


def test_a_target_is_removed():
    sme = SMEFactory()
    target = services.target_add(sme=sme, metric=Metric.ORDERS, value=Decimal(40), due=DUE)
    services.target_delete(target=target)
    assert not sme.targets.exists()
