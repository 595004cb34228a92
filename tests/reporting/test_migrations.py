"""The reviews' move from ``journey`` to ``reporting``: the tables and their rows stay, only the owner changes."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("journey", "0006_scoped_model_log_entry")]  # reporting.0001 depends on journey.0007: unapplied too
AFTER = [("journey", "0007_move_reviews_to_reporting"), ("reporting", "0001_initial")]


def _migrate(targets, *, to=None):
    """Migrate to ``to`` (else ``targets``) and return the models as they are at ``targets``."""
    executor = MigrationExecutor(connection)
    executor.migrate(to or targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


def _latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_review_written_before_the_move_is_read_after_it_with_its_lessons_and_permissions():
    old = _migrate(BEFORE)
    Programme = old.get_model("journey", "Programme")
    Launchpad = old.get_model("journey", "Launchpad")
    programme = Programme.objects.create(name="E-Channel", start_date=datetime.date(2025, 1, 1))
    launchpad = Launchpad.objects.create(
        programme=programme,
        code="uk",
        name="UK",
        country="GB",
        language="en",
        time_zone="Europe/London",
        currency="GBP",
    )
    review = old.get_model("journey", "QuarterlyReview").objects.create(
        programme=programme,
        number=1,
        month_number=9,
        period_start=datetime.date(2025, 1, 1),
        period_end=datetime.date(2025, 9, 30),
        status="published",
        challenges_en="Recruiting",
        frozen={"figures": {"en": []}, "lessons": []},
    )
    old.get_model("journey", "LaunchpadOperations").objects.create(review=review, launchpad=launchpad, text_en="Set-up")
    old.get_model("journey", "Lesson").objects.create(programme=programme, number=1, review_number=1, text_en="Plan")
    ContentType = old.get_model("contenttypes", "ContentType")
    Permission = old.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label="journey", model="quarterlyreview")
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename="view_quarterlyreview", defaults={"name": "Can view quarterly review"}
    )

    new = _migrate(AFTER, to=_latest())
    moved = new.get_model("reporting", "QuarterlyReview").objects.get()
    assert (moved.pk, moved.status, moved.challenges_en, moved.frozen) == (
        review.pk,
        "published",
        "Recruiting",
        {"figures": {"en": []}, "lessons": []},
    )
    assert moved.programme_id == programme.pk
    assert [(o.launchpad_id, o.text_en) for o in moved.operations.all()] == [(launchpad.pk, "Set-up")]
    assert new.get_model("reporting", "Lesson").objects.get().text_en == "Plan"
    # The permission given to groups follows the model to its new app.
    permission = new.get_model("auth", "Permission").objects.get(pk=permission.pk)
    assert (permission.content_type.app_label, permission.content_type.model) == ("reporting", "quarterlyreview")
    assert "journey_quarterlyreview" in connection.introspection.table_names()
