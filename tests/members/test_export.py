"""Roster export to .xlsx: current filters, masked unless an unmasker asks (audited)."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from apps.core.models import AuditEvent
from tests.factories import MemberFactory, MembershipFactory

from .conftest import CITY_MEMBER_ID, CITY_MEMBER_MOBILE, sector

pytestmark = pytest.mark.django_db
EXPORT = reverse("members:export")


def _rows(response) -> list[dict]:
    sheet = load_workbook(io.BytesIO(response.content))["委员名册"]
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_export_is_masked_by_default(client, liaison_user, city_member, city_term):
    client.force_login(liaison_user)
    response = client.post(EXPORT, {"term": city_term.pk})
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    (row,) = _rows(response)
    assert row["姓名"] == "张伟"
    assert row["手机号"] == "139****5678"
    assert row["身份证号"] == CITY_MEMBER_ID[:3] + "*" * 11 + CITY_MEMBER_ID[-4:]
    assert row["专门委员会"] == "提案委员会"
    event = AuditEvent.objects.get(verb="roster_export")
    assert event.data["full"] is False and event.data["count"] == 1


def test_full_export_for_unmasker_is_audited(client, liaison_user, city_member, city_term):
    client.force_login(liaison_user)
    response = client.post(EXPORT, {"term": city_term.pk, "full": "1"})
    (row,) = _rows(response)
    assert row["手机号"] == CITY_MEMBER_MOBILE
    assert row["身份证号"] == CITY_MEMBER_ID
    event = AuditEvent.objects.get(verb="roster_export")
    assert event.data["full"] is True
    assert event.data["fields"] == ["id_number", "mobile"]
    assert event.actor == liaison_user


def test_full_export_refused_without_unmask_permission(
    client, proposal_staff_user, city_member, city_term
):
    client.force_login(proposal_staff_user)
    response = client.post(EXPORT, {"term": city_term.pk, "full": "1"})
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(verb="roster_export").exists()
    masked = client.post(EXPORT, {"term": city_term.pk})
    assert masked.status_code == 200
    assert CITY_MEMBER_MOBILE.encode() not in masked.content


def test_export_applies_filters(client, liaison_user, city, city_member, city_term):
    MembershipFactory(
        member=MemberFactory(committee=city, name="刘洋"), sector=sector(city, "农业界")
    )
    client.force_login(liaison_user)
    response = client.post(EXPORT, {"term": city_term.pk, "sector": city_member.sector_id})
    assert [row["姓名"] for row in _rows(response)] == ["张伟"]
    response = client.post(EXPORT, {"term": city_term.pk, "q": "刘"})
    assert [row["姓名"] for row in _rows(response)] == ["刘洋"]
    assert AuditEvent.objects.filter(verb="roster_export").order_by("-id")[0].data["filters"] == {
        "q": "刘"
    }


def test_district_staff_export_has_no_city_rows(
    client, district_liaison_user, city_member, district_member, city_term
):
    client.force_login(district_liaison_user)
    response = client.post(EXPORT, {"term": city_term.pk})  # falls back to their own term
    assert [row["姓名"] for row in _rows(response)] == ["区委员甲"]


def test_full_export_can_be_imported_again(client, liaison_user, city_member, city_term):
    from apps.members.roster_import import roster_import_check

    client.force_login(liaison_user)
    response = client.post(EXPORT, {"term": city_term.pk, "full": "1"})
    report = roster_import_check(term=city_term, content=response.content)
    assert report.errors == []
    assert report.update_count == 1


def test_export_has_the_nominating_body_after_the_work_unit(
    client, liaison_user, city, city_member, city_term
):
    city_member.nominated_by = "民建济南市委"
    city_member.save(update_fields=["nominated_by"])
    MembershipFactory(member=MemberFactory(committee=city, name="刘洋"), nominated_by="")
    client.force_login(liaison_user)
    response = client.post(EXPORT, {"term": city_term.pk})
    sheet = load_workbook(io.BytesIO(response.content))["委员名册"]
    headers = next(sheet.iter_rows(values_only=True))
    assert headers.index("推荐单位") == headers.index("工作单位") + 1
    rows = {row["姓名"]: row for row in _rows(response)}
    assert rows["张伟"]["推荐单位"] == "民建济南市委"
    assert rows["刘洋"]["推荐单位"] in (None, "")
