"""Study texts in the duty record (履职档案): a submitted text becomes a record of its author
within the transaction's commit (the duties app's audit observer and refresh task), linked to
the member's page of the text; adoption and a place in a compilation follow; a scoring rule can
give points for them; and the annual report shows them under 学习培训. Driven through the study
services and workflow; nothing is written into the duty tables by hand."""

from __future__ import annotations

from decimal import Decimal

import pytest

from apps.dashboards.reports.content import _section_of
from apps.duties.models import DutyRecord
from apps.duties.rules.items import item_labels, record_items
from apps.duties.rules.schema import definition_from_dict
from apps.duties.rules.scoring import score_year
from apps.duties.web.common import record_note
from apps.study import services
from apps.study.duties import study_duty_facts

from .conftest import membership_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run what a block queued for after its commit (the refresh task runs eagerly)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _records(user) -> list[DutyRecord]:
    return list(DutyRecord.objects.filter(membership=membership_of(user), kind="study"))


def test_a_submitted_text_becomes_a_record_that_follows_adoption_and_compilation(
    build, member_user, other_member_user, liaison_user, on_commit
):
    request = build.request(member_user, other_member_user)
    services.submission_save_draft(
        user=member_user, request_id=request.pk, title="草稿", body="正文"
    )
    assert _records(member_user) == []  # a draft is not a duty done

    with on_commit():
        text = build.submitted(request, member_user)
    (record,) = _records(member_user)
    assert record.source_key == f"study:{text.pk}"
    assert record.label == "心得体会：把握性质定位　提升履职本领"
    assert record.source_url == f"/study/{request.pk}/write/"
    assert (record.accepted, record.level, record.role) == (False, "", "reflection")
    assert record_items(record) == ["study.submitted"]
    assert _records(other_member_user) == []  # invited, not submitted

    with on_commit():
        services.submission_set_adopted(user=liaison_user, submission_id=text.pk, adopted=True)
    (record,) = _records(member_user)
    assert record.accepted and record_items(record) == ["study.submitted", "study.adopted"]

    with on_commit():
        compilation = services.compilation_create(user=liaison_user, title="学习心得汇编")
        services.compilation_set_entries(
            user=liaison_user, compilation_id=compilation.pk, submission_ids=[text.pk]
        )
    (record,) = _records(member_user)
    assert record.level == "compiled"
    assert record_items(record) == ["study.submitted", "study.adopted", "study.compiled"]
    assert record_note(record) == "已采用 · 编入汇编"
    assert _section_of(record) == "study"

    with on_commit():  # taken out of the compilation again: the record follows
        services.compilation_set_entries(
            user=liaison_user, compilation_id=compilation.pk, submission_ids=[]
        )
    (record,) = _records(member_user)
    assert record.level == "" and record_items(record)[-1] == "study.adopted"


def test_facts_count_in_the_year_of_submission_only(build, member_user, frozen):
    text = build.submitted(build.request(member_user), member_user)
    membership = membership_of(member_user).pk
    year = text.submitted_at.year
    assert [f.source_key for f in study_duty_facts([membership], year)] == [f"study:{text.pk}"]
    assert study_duty_facts([membership], year + 1) == []
    assert study_duty_facts([membership], year - 1) == []


def test_a_rule_can_give_points_for_study_items(build, member_user, liaison_user, on_commit):
    with on_commit():
        text = build.submitted(build.request(member_user), member_user)
        services.submission_set_adopted(user=liaison_user, submission_id=text.pk, adopted=True)
    definition = definition_from_dict(
        {
            "base_points": 0,
            "categories": [
                {
                    "key": "study",
                    "name": "学习培训",
                    "section": "bonus",
                    "items": [
                        {"code": "study.submitted", "points": 2},
                        {"code": "study.adopted", "points": 3},
                        {"code": "study.compiled", "points": 5},
                    ],
                }
            ],
        }
    )
    labels = item_labels({})
    assert labels["study.submitted"] == "提交学习材料（心得体会、研讨发言等）"
    assert labels["study.compiled"] == "学习材料编入汇编"
    result = score_year(definition, _records(member_user), labels=labels)
    assert result.total == Decimal(5)  # submitted 2 + adopted 3, not compiled
