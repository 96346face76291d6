"""The 社情民意信息处 keeps its committee's settings, categories, adoption levels, reporting
organisations and their liaisons (apps.opinions.services.config).

Each service is allowed for the office of the committee and proves its effect (the row and the
audit event); it is refused for everyone else — a member, the signing leader, a liaison, another
office of the same committee, another committee's office acting on this committee's rows — and
bad input (an empty name, a control character, a duplicate, a number out of range) is refused
with a Chinese message. A refusal changes nothing: every row of the settings, categories,
levels, organisations, liaisons, statistics state and audit log is as it was."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.core.errors import Conflict, DomainError, NotFound, PermissionDenied, ValidationFailed
from apps.core.models import AuditEvent
from apps.opinions import services
from apps.opinions.models import (
    AdoptionLevel,
    InformationLiaison,
    OpinionCategory,
    OpinionSettings,
    OpinionStatsState,
    ReportingUnit,
    UnitKind,
)
from apps.opinions.selectors import adoption_level_list, category_list, opinion_settings_for
from tests.proposals.conftest import db_snapshot

from .conftest import TEXT

pytestmark = pytest.mark.django_db

WATCHED = (
    OpinionSettings,
    OpinionCategory,
    AdoptionLevel,
    ReportingUnit,
    InformationLiaison,
    OpinionStatsState,
    AuditEvent,
)
CHINESE = re.compile("[\u4e00-\u9fff]")
OUTSIDERS = (
    "member_user",
    "leader_user",
    "liaison",
    "proposal_staff_user",
)


@pytest.fixture
def seeded(city, editor, unit, liaison):
    """The defaults seeded (as the first page view does), an organisation with its liaison."""
    opinion_settings_for(city)
    category_list(committee=city)
    adoption_level_list(committee=city)
    return city


def refused(error: type[DomainError], call, *args, **kwargs) -> DomainError:
    """`call` raises `error` with a Chinese message and changes nothing."""
    before = db_snapshot(*WATCHED)
    with pytest.raises(error) as caught:
        call(*args, **kwargs)
    assert CHINESE.search(caught.value.message), caught.value.message
    assert db_snapshot(*WATCHED) == before
    return caught.value


def audited(verb: str, user) -> AuditEvent:
    event = AuditEvent.objects.filter(verb=verb).latest("id")
    assert event.actor_id == user.pk and event.role == "opinion_office"
    return event


# 设置 ----------------------------------------------------------------------------------------


def test_the_office_changes_the_numbers(seeded, editor, leader_user):
    settings = services.opinion_settings_update(
        user=editor,
        data={
            "body_max_chars": 1200,
            "attachment_types": " PDF, docx ,pdf",
            "bulletin_name": "政协信息",
            "default_signer_id": leader_user.pk,
            "committee_id": 999,  # not a setting: ignored
        },
    )
    row = OpinionSettings.objects.get(pk=settings.pk)
    assert (row.body_max_chars, row.bulletin_name, row.default_signer_id) == (
        1200,
        "政协信息",
        leader_user.pk,
    )
    assert row.attachment_types == "pdf,docx" and row.committee_id == seeded.pk
    event = audited("opinion_settings_update", editor)
    assert set(event.data["fields"]) == {
        "body_max_chars",
        "attachment_types",
        "bulletin_name",
        "default_signer_id",
    }
    # The same values again change nothing and write no event.
    events = AuditEvent.objects.count()
    services.opinion_settings_update(user=editor, data={"body_max_chars": 1200})
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"attachment_types": " , "}, "attachment_types"),
        ({"quota_reminder_day": 29}, "quota_reminder_day"),
        ({"quota_reminder_day": 0}, "quota_reminder_day"),
        ({"quota_reminder_day": "二十"}, "quota_reminder_day"),
        ({"similar_window_months": 0}, "similar_window_months"),
        ({"body_max_chars": -1}, "body_max_chars"),
        ({"bulletin_name": ""}, "bulletin_name"),
        ({"bulletin_name": "社情\x0b民意"}, "bulletin_name"),
        ({"bulletin_publisher": "政协\x00办公室"}, "bulletin_publisher"),
        ({"default_signer_id": "other_member"}, "default_signer"),
    ],
    ids=[
        "no-types",
        "day-29",
        "day-0",
        "day-not-a-number",
        "window-0",
        "negative",
        "empty-name",
        "VT",
        "NUL",
        "signer-not-a-leader",
    ],
)
def test_bad_numbers_and_names_are_refused(seeded, editor, other_member_user, data, field):
    if data.get("default_signer_id") == "other_member":
        data = {"default_signer_id": other_member_user.pk}
    error = refused(ValidationFailed, services.opinion_settings_update, user=editor, data=data)
    assert field in error.extra["errors"]


@pytest.mark.parametrize("persona", [*OUTSIDERS, "district_editor"])
def test_only_the_office_changes_the_numbers(request, seeded, persona):
    user = request.getfixturevalue(persona)
    if persona == "district_editor":
        # Another committee's office changes its own committee's settings, never this one's.
        services.opinion_settings_update(user=user, data={"body_max_chars": 900})
        assert opinion_settings_for(seeded).body_max_chars == 1500
        assert opinion_settings_for(user.committee_id).body_max_chars == 900
        return
    refused(
        PermissionDenied, services.opinion_settings_update, user=user, data={"body_max_chars": 900}
    )


# 类别 ----------------------------------------------------------------------------------------


def test_categories_are_added_renamed_reordered_and_switched_off(seeded, editor):
    added = services.category_save(user=editor, name=" 营商环境 ", sort_order=1)
    assert added.name == "营商环境" and added.committee_id == seeded.pk
    audited("opinion_category_save", editor)
    names = [c.name for c in category_list(committee=seeded)]
    assert names.index("营商环境") == 2  # after 经济发展 (0) and 城乡建设 (1, an older row)
    renamed = services.category_save(
        user=editor, category_id=added.pk, name="优化营商环境", sort_order=99
    )
    assert renamed.pk == added.pk
    assert [c.name for c in category_list(committee=seeded)][-1] == "优化营商环境"
    services.category_save(
        user=editor, category_id=added.pk, name="优化营商环境", sort_order=99, is_active=False
    )
    assert "优化营商环境" not in [c.name for c in category_list(committee=seeded)]
    assert "优化营商环境" in [
        c.name for c in category_list(committee=seeded, include_inactive=True)
    ]


@pytest.mark.parametrize(
    ("name", "error"),
    [
        ("", ValidationFailed),
        ("   ", ValidationFailed),
        ("长" * 31, ValidationFailed),
        ("营商\x0b环境", ValidationFailed),
        ("营商\x00环境", ValidationFailed),
        ("城乡建设", Conflict),
        (" 城乡建设 ", Conflict),
    ],
    ids=["empty", "blank", "too-long", "VT", "NUL", "duplicate", "duplicate-padded"],
)
def test_bad_category_names_are_refused(seeded, editor, name, error):
    refused(error, services.category_save, user=editor, name=name)
    existing = category_list(committee=seeded).get(name="社会治理")
    refused(error, services.category_save, user=editor, category_id=existing.pk, name=name)


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_only_the_office_keeps_the_categories(request, seeded, persona):
    user = request.getfixturevalue(persona)
    existing = category_list(committee=seeded).get(name="社会治理")
    refused(PermissionDenied, services.category_save, user=user, name="营商环境")
    refused(
        PermissionDenied, services.category_save, user=user, category_id=existing.pk, name="治理"
    )


def test_another_committees_office_cannot_touch_this_committees_rows(
    seeded, district_editor, unit, liaison
):
    category = category_list(committee=seeded).get(name="社会治理")
    level = adoption_level_list(committee=seeded)[1]
    appointment = InformationLiaison.objects.get(unit=unit, user=liaison)
    user = district_editor
    refused(NotFound, services.category_save, user=user, category_id=category.pk, name="治理")
    refused(NotFound, services.adoption_level_save, user=user, level_id=level.pk, name="采用")
    refused(
        NotFound,
        services.reporting_unit_save,
        user=user,
        unit_id=unit.pk,
        name="民盟区委",
        kind=UnitKind.PARTY,
    )
    refused(NotFound, services.liaison_appoint, user=user, unit_id=unit.pk, liaison_user_id=user.pk)
    refused(NotFound, services.liaison_release, user=user, liaison_id=appointment.pk)


# 采用层级 ------------------------------------------------------------------------------------


def _level_columns(page: str) -> list[str]:
    """The level columns of the first table of the statistics page (after 编发)."""
    head = page.split('<th scope="col" class="text-end">编发</th>', 1)[1]
    head = head.split('<th scope="col" class="text-end">上级采用</th>', 1)[0]
    return re.findall(r'<th scope="col" class="text-end">([^<]+)</th>', head)


def test_levels_are_added_and_reordered_and_the_statistics_follow(client, build, editor, levels):
    """全国政协转送采用 moved below 全国政协单篇采用 (sort order 40 → 25) and 省委、省政府采用 added
    (15): the list follows at once and, once the task has recomputed the year the change marked
    stale, so do the columns of the statistics page and of the .xlsx 通报, with each figure
    still under its own level."""
    import io

    import openpyxl

    from apps.opinions.tasks import refresh_opinion_stats

    report = build.compiled()
    services.adoption_record(
        user=editor,
        report_id=report.pk,
        level_id=levels["全国政协转送采用"].pk,
        adopted_on=timezone.localdate(),
    )
    refresh_opinion_stats()
    client.force_login(editor)
    before = ["市委、市政府采用", "省政协采用", "全国政协单篇采用", "全国政协转送采用"]
    assert _level_columns(client.get(reverse("opinions:stats")).content.decode()) == before

    moved = levels["全国政协转送采用"]
    saved = services.adoption_level_save(
        user=editor, level_id=moved.pk, name=moved.name, sort_order=25
    )
    assert saved.pk == moved.pk
    audited("opinion_level_save", editor)
    added = services.adoption_level_save(user=editor, name="省委、省政府采用", sort_order=15)
    assert added.committee_id == report.committee_id and not added.auto_on_publish
    order = ["本级编发", "市委、市政府采用", "省委、省政府采用", "省政协采用"]
    order += ["全国政协转送采用", "全国政协单篇采用"]
    assert [level.name for level in adoption_level_list(committee=report.committee_id)] == order

    assert refresh_opinion_stats() == 1  # the change marked the year for recomputing
    page = client.get(reverse("opinions:stats")).content.decode()
    assert _level_columns(page) == order[1:]
    workbook = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse("opinions:stats_export")).content), read_only=True
    )
    header = next(workbook["委员"].iter_rows(values_only=True))
    assert list(header[4:-2]) == order
    line = next(workbook["委员"].iter_rows(min_row=2, values_only=True))
    assert line[0] == "李红梅"
    assert dict(zip(header[4:-2], line[4:-2], strict=True)) == {
        "本级编发": 1,
        "市委、市政府采用": 0,
        "省委、省政府采用": 0,
        "省政协采用": 0,
        "全国政协转送采用": 1,
        "全国政协单篇采用": 0,
    }
    assert line[-2:] == (1, 0)  # 上级采用, 批示


@pytest.mark.parametrize(
    ("name", "error"),
    [
        ("", ValidationFailed),
        ("长" * 41, ValidationFailed),
        ("省政协\x0b采用", ValidationFailed),
        ("省政协\x00采用", ValidationFailed),
        ("省政协采用", Conflict),
    ],
    ids=["empty", "too-long", "VT", "NUL", "duplicate"],
)
def test_bad_level_names_are_refused(seeded, editor, name, error):
    refused(error, services.adoption_level_save, user=editor, name=name, sort_order=5)
    existing = adoption_level_list(committee=seeded)[-1]
    refused(error, services.adoption_level_save, user=editor, level_id=existing.pk, name=name)


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_only_the_office_keeps_the_levels(request, seeded, persona):
    user = request.getfixturevalue(persona)
    existing = adoption_level_list(committee=seeded)[1]
    refused(PermissionDenied, services.adoption_level_save, user=user, name="省委采用")
    refused(
        PermissionDenied,
        services.adoption_level_save,
        user=user,
        level_id=existing.pk,
        name=existing.name,
        sort_order=99,
    )


# 报送单位与信息联络员 -------------------------------------------------------------------------


def test_organisations_are_added_and_changed(seeded, editor, special_committee):
    added = services.reporting_unit_save(
        user=editor,
        name=" 经济委员会 ",
        kind=UnitKind.SPECIAL_COMMITTEE,
        special_committee_id=special_committee.pk,
        monthly_quota=2,
    )
    row = ReportingUnit.objects.get(pk=added.pk)
    assert (row.name, row.kind, row.special_committee_id, row.monthly_quota) == (
        "经济委员会",
        UnitKind.SPECIAL_COMMITTEE,
        special_committee.pk,
        2,
    )
    audited("opinion_unit_save", editor)
    services.reporting_unit_save(
        user=editor, unit_id=added.pk, name="经济专委会", kind=UnitKind.SPECIAL_COMMITTEE
    )
    row.refresh_from_db()
    assert (row.name, row.special_committee_id, row.monthly_quota) == ("经济专委会", None, None)


@pytest.mark.parametrize(
    ("values", "error", "field"),
    [
        ({"name": ""}, ValidationFailed, "name"),
        ({"name": "长" * 61}, ValidationFailed, "name"),
        ({"name": "九三\x0b学社"}, ValidationFailed, "name"),
        ({"name": "九三\x00学社"}, ValidationFailed, "name"),
        ({"kind": "club"}, ValidationFailed, "kind"),
        ({"special_committee_id": "district"}, ValidationFailed, "special_committee"),
        ({"name": "民盟市委"}, Conflict, None),
    ],
    ids=["empty", "too-long", "VT", "NUL", "kind", "other-committees-special", "duplicate"],
)
def test_bad_organisations_are_refused(seeded, editor, district, values, error, field):
    from apps.organisation.models import SpecialCommittee

    if values.get("special_committee_id") == "district":
        other = SpecialCommittee.objects.create(committee=district, name="区经济委员会")
        values = {"special_committee_id": other.pk}
    data = {"name": "九三学社市委", "kind": UnitKind.PARTY, **values}
    caught = refused(error, services.reporting_unit_save, user=editor, **data)
    if field is not None:
        assert field in caught.extra["errors"]
    existing = ReportingUnit.objects.create(committee=seeded, kind=UnitKind.PARTY, name="民进市委")
    refused(error, services.reporting_unit_save, user=editor, unit_id=existing.pk, **data)


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_only_the_office_keeps_the_organisations(request, seeded, unit, persona):
    user = request.getfixturevalue(persona)
    refused(
        PermissionDenied,
        services.reporting_unit_save,
        user=user,
        name="九三学社市委",
        kind=UnitKind.PARTY,
    )
    refused(
        PermissionDenied,
        services.reporting_unit_save,
        user=user,
        unit_id=unit.pk,
        name="民盟市委员会",
        kind=UnitKind.PARTY,
    )


def test_a_liaison_is_appointed_files_is_released_and_appointed_again(
    seeded, editor, unit, category
):
    from apps.accounts.models import User
    from tests.factories import UserFactory

    person = UserFactory(username="qianliaison", name="钱联络", committee=seeded)
    appointment = services.liaison_appoint(user=editor, unit_id=unit.pk, liaison_user_id=person.pk)
    assert appointment.is_active and appointment.user_id == person.pk
    assert audited("opinion_liaison_appoint", editor).data == {"user": "钱联络"}
    report = services.report_draft_create(
        user=User.objects.get(pk=person.pk), unit_id=unit.pk, category_id=category.pk, **TEXT
    )
    assert report.reporting_unit_id == unit.pk

    services.liaison_release(user=editor, liaison_id=appointment.pk)
    appointment.refresh_from_db()
    assert not appointment.is_active
    audited("opinion_liaison_release", editor)
    events = AuditEvent.objects.count()
    services.liaison_release(user=editor, liaison_id=appointment.pk)  # again: nothing more
    assert AuditEvent.objects.count() == events
    refused(
        PermissionDenied,
        services.report_draft_create,
        user=User.objects.get(pk=person.pk),
        unit_id=unit.pk,
        title="关于……",
    )

    again = services.liaison_appoint(user=editor, unit_id=unit.pk, liaison_user_id=person.pk)
    assert again.pk == appointment.pk and again.is_active
    assert InformationLiaison.objects.filter(unit=unit, user=person).count() == 1


def test_only_accounts_of_the_committee_become_liaisons(seeded, editor, unit, district_member_user):
    from tests.factories import UserFactory

    gone = UserFactory(username="gone", name="已停用", committee=seeded, is_active=False)
    for person in (district_member_user, gone):
        caught = refused(
            ValidationFailed,
            services.liaison_appoint,
            user=editor,
            unit_id=unit.pk,
            liaison_user_id=person.pk,
        )
        assert "user" in caught.extra["errors"]


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_only_the_office_appoints_and_releases_liaisons(
    request, seeded, unit, liaison, other_member_user, persona
):
    user = request.getfixturevalue(persona)
    appointment = InformationLiaison.objects.get(unit=unit, user=liaison)
    refused(
        PermissionDenied,
        services.liaison_appoint,
        user=user,
        unit_id=unit.pk,
        liaison_user_id=other_member_user.pk,
    )
    refused(PermissionDenied, services.liaison_release, user=user, liaison_id=appointment.pk)


def test_the_settings_page_is_the_offices(client, seeded, editor, member_user, leader_user):
    client.force_login(editor)
    page = client.get(reverse("opinions:settings"))
    assert page.status_code == 200 and "民盟市委" in page.content.decode()
    response = client.post(
        reverse("opinions:category_save"),
        {"category-name": "营商\x0b环境", "category-sort_order": 3, "category-is_active": "on"},
    )
    assert response.status_code == 422
    assert "不可见的控制字符" in response.content.decode()
    assert not OpinionCategory.objects.filter(name__contains="营商").exists()
    for user in (member_user, leader_user):
        client.force_login(user)
        before = db_snapshot(*WATCHED)
        assert client.get(reverse("opinions:settings")).status_code == 403
        response = client.post(
            reverse("opinions:category_save"),
            {"category-name": "营商环境", "category-sort_order": 3},
        )
        assert response.status_code == 403
        assert db_snapshot(*WATCHED) == before
