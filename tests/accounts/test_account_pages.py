"""Account management pages (委员联络处, 系统管理员): permission matrix, scoping, search and
filters, roles (audited), deactivation and activation issue."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.accounts.models import User
from apps.accounts.roles import Role
from apps.core.models import AuditEvent
from tests.factories import UserFactory

from .conftest import sign_in

pytestmark = pytest.mark.django_db

LIST = "/accounts/users/"
CREATE = "/accounts/users/new/"


def _detail(user) -> str:
    return f"/accounts/users/{user.pk}/"


MANAGERS = {"liaison_user", "admin_user"}
PERSONAS = (
    "member_user",
    "leader_user",
    "unit_user",
    "proposal_staff_user",
    "liaison_user",
    "admin_user",
)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("path", [LIST, CREATE])
def test_account_pages_permission_matrix(client, request, persona, path, other_member_user):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(path)
    if persona in MANAGERS:
        assert response.status_code == 200
        if path == LIST:
            assert "王建国" in response.content.decode()  # the committee's accounts are listed
    else:
        assert response.status_code == 403
        assert "王建国" not in response.content.decode()


@pytest.mark.parametrize("persona", PERSONAS)
def test_create_account_permission_matrix(client, request, persona, city):
    client.force_login(request.getfixturevalue(persona))
    response = client.post(CREATE, {"username": "newperson", "name": "新人", "committee": city.pk})
    created = User.objects.filter(username="newperson").first()
    if persona in MANAGERS:
        assert response.status_code == 302
        assert created is not None and not created.has_usable_password()
        assert AuditEvent.objects.filter(verb="account_create", object_id=str(created.pk)).exists()
    else:
        assert response.status_code == 403
        assert created is None
        assert not AuditEvent.objects.filter(verb="account_create").exists()


@pytest.mark.parametrize("persona", PERSONAS)
def test_deactivate_account_permission_matrix(client, request, persona, other_member_user):
    client.force_login(request.getfixturevalue(persona))
    response = client.post(_detail(other_member_user), {"action": "deactivate"})
    other_member_user.refresh_from_db()
    if persona in MANAGERS:
        assert response.status_code == 302
        assert not other_member_user.is_active
        assert AuditEvent.objects.filter(verb="account_deactivate").count() == 1
    else:
        assert response.status_code == 403
        assert other_member_user.is_active
        assert not AuditEvent.objects.filter(verb="account_deactivate").exists()


def test_anonymous_is_sent_to_sign_in(client, db):
    response = client.get(LIST)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_list_shows_city_accounts_with_masked_phones(client, liaison_user, member_user):
    client.force_login(liaison_user)
    page = client.get(LIST).content.decode()
    assert "李红梅" in page
    phone = member_user.phone
    assert phone not in page
    assert f"{phone[:3]}****{phone[-4:]}" in page


def test_district_staff_cannot_see_or_open_city_accounts(
    client, district_liaison_user, member_user, district_member_user
):
    client.force_login(district_liaison_user)
    page = client.get(LIST).content.decode()
    assert "刘晓东" in page
    assert "李红梅" not in page
    response = client.get(_detail(member_user))
    assert response.status_code == 404
    assert "无权管理" in response.content.decode()
    response = client.post(_detail(member_user), {"action": "deactivate"})
    assert response.status_code == 404
    member_user.refresh_from_db()
    assert member_user.is_active
    assert not AuditEvent.objects.filter(verb="account_deactivate").exists()


def test_city_staff_do_not_see_district_accounts_without_a_grant(
    client, liaison_user, district_member_user
):
    client.force_login(liaison_user)
    assert "刘晓东" not in client.get(LIST).content.decode()


def test_search_by_name_username_and_phone(client, liaison_user, member_user, other_member_user):
    client.force_login(liaison_user)
    for query in ("红梅", "lihong", member_user.phone[-6:]):
        page = client.get(LIST, {"q": query}).content.decode()
        assert "李红梅" in page, query
        assert "王建国" not in page, query


def test_filter_by_role_and_activation_state(
    client, liaison_user, member_user, unit_user, city, django_capture_on_commit_callbacks
):
    from apps.accounts.services import user_create

    user_create(committee=city, username="pending1", name="待激活人", created_by=liaison_user)
    client.force_login(liaison_user)
    page = client.get(LIST, {"role": Role.HANDLING_UNIT.value}).content.decode()
    assert "市教育局联络员" in page and "李红梅" not in page
    page = client.get(LIST, {"role": Role.MEMBER.value}).content.decode()
    assert "李红梅" in page and "市教育局联络员" not in page
    page = client.get(LIST, {"state": "pending"}).content.decode()
    assert "待激活人" in page and "李红梅" not in page
    page = client.get(LIST, {"role": "nonsense"}).content.decode()
    assert "账户管理" in page  # bad filter: a normal page, not an error


def test_htmx_search_returns_only_the_results(client, liaison_user, member_user):
    client.force_login(liaison_user)
    page = client.get(LIST, {"q": "红梅"}, HTTP_HX_REQUEST="true").content.decode()
    assert "李红梅" in page
    assert "<html" not in page


def test_list_query_count_does_not_grow_with_the_page(
    client, liaison_user, city, city_term, roles_seeded
):
    from tests.conftest import _member_user

    client.force_login(liaison_user)
    for index in range(3):
        _member_user(city, city_term, username=f"m{index}", name=f"委员{index}")
    client.get(LIST)
    with CaptureQueriesContext(connection) as few:
        client.get(LIST)
    # More of what the list shows: members (roles from the roster), leaders and office staff.
    for index in range(3, 15):
        _member_user(city, city_term, username=f"m{index}", name=f"委员{index}")
    _member_user(city, city_term, username="leader2", name="副主席乙", position="vice_chair")
    staff = UserFactory(username="office2", name="办公室乙", committee=city)
    staff.groups.add(Group.objects.get(name=Role.GENERAL_OFFICE.value))
    with CaptureQueriesContext(connection) as many:
        page = client.get(LIST).content.decode()
    assert "委员14" in page and "办公室乙" in page and "主席会议成员" in page
    assert len(many) == len(few)


def test_staff_creates_an_account_and_sees_the_activation_once(
    client, liaison_user, city, sms_outbox, django_capture_on_commit_callbacks
):
    client.force_login(liaison_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            CREATE,
            {
                "username": "gaoyang",
                "name": "高阳",
                "phone": "13912340000",
                "committee": city.pk,
                "roles": [Role.OPINION_OFFICE.value],
                "issue_activation": "1",
            },
        )
    account = User.objects.get(username="gaoyang")
    assert response["Location"] == _detail(account)
    assert not account.has_usable_password()
    assert set(account.groups.values_list("name", flat=True)) == {Role.OPINION_OFFICE.value}
    page = client.get(_detail(account)).content.decode()
    assert "激活凭证已发放" in page
    assert "已通过短信发送" in page
    code = re.search(r'id="activation-code">(\d{8})<', page).group(1)
    assert code in sms_outbox[-1].text
    assert "激活凭证已发放" not in client.get(_detail(account)).content.decode()


def test_create_form_errors_are_chinese_and_nothing_is_created(
    client, liaison_user, city, member_user
):
    client.force_login(liaison_user)
    response = client.post(
        CREATE,
        {
            "username": "LiHongMei",
            "name": "重名",
            "phone": "12345",
            "committee": city.pk,
            "roles": [Role.HANDLING_UNIT.value],
        },
    )
    page = response.content.decode()
    assert response.status_code == 422
    assert "请输入 11 位手机号" in page
    response = client.post(CREATE, {"username": "LiHongMei", "name": "重名", "committee": city.pk})
    assert response.status_code == 422
    assert "已被使用" in response.content.decode()
    response = client.post(
        CREATE,
        {"username": "unitx", "name": "单位", "committee": city.pk, "roles": ["handling_unit"]},
    )
    assert "必须选择所属承办单位" in response.content.decode()
    assert not User.objects.filter(username__in=["unitx"]).exists()
    assert User.objects.filter(username__iexact="lihongmei").count() == 1


def test_liaison_cannot_create_in_a_committee_outside_scope(client, liaison_user, district):
    client.force_login(liaison_user)
    response = client.post(
        CREATE, {"username": "outsider", "name": "外人", "committee": district.pk}
    )
    assert response.status_code == 422
    assert not User.objects.filter(username="outsider").exists()
    assert not AuditEvent.objects.filter(verb="account_create").exists()


def test_role_change_is_audited_with_from_and_to(client, liaison_user, member_user):
    client.force_login(liaison_user)
    response = client.post(
        _detail(member_user),
        {"action": "roles", "roles": [Role.PROPOSAL_OFFICE.value, Role.OPINION_OFFICE.value]},
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(verb="role_change")
    assert event.actor == liaison_user
    assert event.object_id == str(member_user.pk)
    assert event.from_state == ""
    assert event.to_state == "opinion_office,proposal_office"
    assert event.data["added"] == ["opinion_office", "proposal_office"]
    client.post(_detail(member_user), {"action": "roles", "roles": [Role.OPINION_OFFICE.value]})
    second = AuditEvent.objects.filter(verb="role_change").order_by("-id").first()
    assert second.data["removed"] == ["proposal_office"]
    assert second.from_state == "opinion_office,proposal_office"
    assert second.to_state == "opinion_office"


def test_saving_the_same_roles_changes_nothing(client, liaison_user, proposal_staff_user):
    client.force_login(liaison_user)
    client.post(
        _detail(proposal_staff_user), {"action": "roles", "roles": [Role.PROPOSAL_OFFICE.value]}
    )
    assert not AuditEvent.objects.filter(verb="role_change").exists()


def test_liaison_cannot_grant_sysadmin(client, liaison_user, member_user):
    client.force_login(liaison_user)
    response = client.post(
        _detail(member_user), {"action": "roles", "roles": [Role.SYSADMIN.value]}
    )
    assert response.status_code == 422  # not a choice the liaison office is offered
    assert not member_user.groups.filter(name=Role.SYSADMIN.value).exists()
    assert not AuditEvent.objects.filter(verb="role_change").exists()


def test_liaison_cannot_manage_a_system_administrator(client, liaison_user, admin_user):
    client.force_login(liaison_user)
    assert client.get(_detail(admin_user)).status_code == 404


def test_sysadmin_may_grant_sysadmin(client, admin_user, member_user):
    client.force_login(admin_user)
    client.post(_detail(member_user), {"action": "roles", "roles": [Role.SYSADMIN.value]})
    assert member_user.groups.filter(name=Role.SYSADMIN.value).exists()


def test_nobody_changes_their_own_roles(client, liaison_user):
    client.force_login(liaison_user)
    response = client.post(_detail(liaison_user), {"action": "roles", "roles": []})
    assert response.status_code == 403
    assert "不能对自己的账户执行此操作" in response.content.decode()
    assert liaison_user.groups.filter(name=Role.LIAISON_OFFICE.value).exists()
    assert not AuditEvent.objects.filter(verb="role_change").exists()


def test_handling_unit_role_needs_a_unit_of_the_same_committee(
    client, liaison_user, member_user, education_unit
):
    client.force_login(liaison_user)
    response = client.post(
        _detail(member_user), {"action": "roles", "roles": [Role.HANDLING_UNIT.value]}
    )
    assert response.status_code == 422
    assert "必须选择所属承办单位" in response.content.decode()
    assert not member_user.groups.exists()
    response = client.post(
        _detail(member_user),
        {
            "action": "roles",
            "roles": [Role.HANDLING_UNIT.value],
            "handling_unit": education_unit.pk,
        },
    )
    assert response.status_code == 302
    member_user.refresh_from_db()
    assert member_user.handling_unit == education_unit


def test_deactivate_stops_sign_in_and_reactivate_restores_it(
    client, liaison_user, member_user, password
):
    client.force_login(liaison_user)
    client.post(_detail(member_user), {"action": "deactivate"})
    member_user.refresh_from_db()
    assert not member_user.is_active
    assert AuditEvent.objects.filter(verb="account_deactivate", to_state="inactive").exists()
    other = client.__class__()
    sign_in(other, "lihongmei", password)
    assert "_auth_user_id" not in other.session
    client.post(_detail(member_user), {"action": "reactivate"})
    member_user.refresh_from_db()
    assert member_user.is_active
    sign_in(other, "lihongmei", password)
    assert other.session["_auth_user_id"] == str(member_user.pk)


def test_deactivation_ends_an_open_session(client, liaison_user, member_user):
    from apps.accounts.services import user_set_active

    member_client = client.__class__()
    member_client.force_login(member_user)
    assert member_client.get("/").status_code == 200
    user_set_active(user=member_user, active=False, changed_by=liaison_user)
    assert member_client.get("/").status_code == 302


def test_issue_activation_from_the_detail_page(
    client, liaison_user, member_user, sms_outbox, django_capture_on_commit_callbacks
):
    client.force_login(liaison_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_detail(member_user), {"action": "issue_activation"}, follow=True)
    page = response.content.decode()
    assert "激活凭证已发放" in page
    assert len(sms_outbox) == 1


def test_unknown_action_changes_nothing(client, liaison_user, member_user):
    client.force_login(liaison_user)
    before = AuditEvent.objects.count()
    response = client.post(_detail(member_user), {"action": "drop_tables"})
    assert response.status_code == 400
    assert "无法识别的操作" in response.content.decode()
    assert AuditEvent.objects.count() == before
    member_user.refresh_from_db()
    assert member_user.is_active


def test_deactivating_oneself_is_refused_with_a_page_not_a_redirect(client, liaison_user):
    client.force_login(liaison_user)
    response = client.post(_detail(liaison_user), {"action": "deactivate"})
    assert response.status_code == 403
    assert "不能对自己的账户执行此操作" in response.content.decode()
    liaison_user.refresh_from_db()
    assert liaison_user.is_active


def test_profile_update_keeps_phone_when_left_blank_and_audits(client, liaison_user, member_user):
    client.force_login(liaison_user)
    phone = member_user.phone
    client.post(
        _detail(member_user),
        {
            "action": "profile",
            "profile-name": "李红梅（新）",
            "profile-phone": "",
            "profile-email": "",
        },
    )
    member_user.refresh_from_db()
    assert member_user.name == "李红梅（新）"
    assert member_user.phone == phone
    assert AuditEvent.objects.get(verb="account_update").data["name"]["to"] == "李红梅（新）"


def test_liaison_may_take_office_roles_away(client, liaison_user, city, roles_seeded):
    target = UserFactory(username="mixed", name="混合", committee=city)
    target.groups.add(Group.objects.get(name=Role.GENERAL_OFFICE.value))
    client.force_login(liaison_user)
    client.post(_detail(target), {"action": "roles", "roles": []})
    assert not target.groups.exists()
