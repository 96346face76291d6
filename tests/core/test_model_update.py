"""model_update: only changed fields are saved, validated first."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.core.errors import ValidationFailed
from apps.core.services import model_update
from apps.organisation.models import HandlingUnit
from tests.factories import HandlingUnitFactory

pytestmark = pytest.mark.django_db


def test_saves_only_the_changed_fields(city):
    unit = HandlingUnitFactory(committee=city, name="市教育局", contact_person="张三")
    with CaptureQueriesContext(connection) as queries:
        changed = model_update(instance=unit, data={"name": "市教育局", "contact_person": "李四"})
    assert changed[0] == "contact_person"
    updates = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("UPDATE")]
    assert len(updates) == 1
    assert '"contact_person"' in updates[0] and '"name"' not in updates[0]
    unit.refresh_from_db()
    assert unit.contact_person == "李四"


def test_nothing_changed_means_no_query(city):
    unit = HandlingUnitFactory(committee=city, name="市教育局")
    with CaptureQueriesContext(connection) as queries:
        assert model_update(instance=unit, data={"name": "市教育局"}) == []
    assert queries.captured_queries == []


def test_only_the_allowed_fields_are_written(city):
    unit = HandlingUnitFactory(committee=city, name="市教育局", contact_person="张三")
    model_update(
        instance=unit, data={"name": "改名", "contact_person": "李四"}, fields=["contact_person"]
    )
    unit.refresh_from_db()
    assert (unit.name, unit.contact_person) == ("市教育局", "李四")


def test_an_invalid_value_raises_with_field_errors_and_saves_nothing(city):
    unit = HandlingUnitFactory(committee=city, name="市教育局")
    with pytest.raises(ValidationFailed) as error:
        model_update(instance=unit, data={"name": "局" * 500})
    assert "name" in error.value.extra["errors"]
    assert HandlingUnit.objects.get(pk=unit.pk).name == "市教育局"
