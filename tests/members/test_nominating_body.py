"""推荐单位 (the body that nominated a member, per term): the services that write it, the edit and
create pages, the profile, the roster list and search, the API."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from apps.core.errors import ValidationFailed
from apps.core.models import AuditEvent
from apps.members.idcard import id_number_make
from apps.members.models import Membership
from apps.members.services import MemberData, MembershipData, member_create, member_update
from tests.factories import MemberFactory, MembershipFactory, TermFactory

from .conftest import sector
from .helpers import member_form_data

pytestmark = pytest.mark.django_db
BODY_ROW = '<dt class="col-5 col-sm-4">推荐单位</dt><dd class="col-7 col-sm-8">'
CONTROL_MESSAGE = "“推荐单位”中含有不可见的控制字符（常见于从其他软件复制粘贴），请删除后重新提交。"


def _person(n: int = 1) -> MemberData:
    birth = dt.date(1975, 3, n)
    return MemberData(
        name=f"推荐测试{n}",
        gender="female",
        id_number=id_number_make(region="370102", birth_date=birth, sequence=300 + n),
        birth_date=birth,
    )


def _term_facts(city, **overrides) -> MembershipData:
    values = {"sector_id": sector(city, "经济界").pk, "party": "cdnca", **overrides}
    return MembershipData(**values)


# ---------------------------------------------------------------------------------------------
# Services


def test_create_stores_the_body_trimmed(liaison_user, city, city_term):
    membership = member_create(
        actor=liaison_user,
        term=city_term,
        member_data=_person(),
        membership_data=_term_facts(city, nominated_by="  市工商联  "),
    )
    membership.refresh_from_db()
    assert membership.nominated_by == "市工商联"


def test_create_without_a_body_leaves_it_blank(liaison_user, city, city_term):
    membership = member_create(
        actor=liaison_user, term=city_term, member_data=_person(), membership_data=_term_facts(city)
    )
    assert Membership.objects.get(pk=membership.pk).nominated_by == ""


@pytest.mark.parametrize(
    "value,message",
    [
        ("推" * 121, "“推荐单位”不能超过120个字（现为121个字）。"),
        ("民建\x0b济南市委", CONTROL_MESSAGE),
        ("民建\x00济南市委", CONTROL_MESSAGE),
        ("民建\x7f济南市委", CONTROL_MESSAGE),
    ],
)
def test_create_refuses_a_body_too_long_or_with_control_characters(
    liaison_user, city, city_term, value, message
):
    with pytest.raises(ValidationFailed) as caught:
        member_create(
            actor=liaison_user,
            term=city_term,
            member_data=_person(),
            membership_data=_term_facts(city, nominated_by=value),
        )
    assert caught.value.extra["errors"] == {"nominated_by": message}
    assert not Membership.objects.filter(term=city_term).exists()
    assert not AuditEvent.objects.filter(verb="member_create").exists()


def test_update_changes_the_body_and_audits_the_field_name(liaison_user, city, city_member):
    data = _term_facts(
        city,
        sector_id=city_member.sector_id,
        work_unit=city_member.work_unit,
        job_title=city_member.job_title,
        group_id=city_member.group_id,
        special_committee_ids=tuple(city_member.special_committees.values_list("id", flat=True)),
        nominated_by="民建济南市委",
    )
    member = city_member.member
    person = MemberData(
        name=member.name,
        gender=member.gender,
        id_number=member.id_number,
        ethnicity=member.ethnicity,
        birth_date=member.birth_date,
        mobile=member.mobile,
    )
    member_update(
        actor=liaison_user, membership=city_member, member_data=person, membership_data=data
    )
    city_member.refresh_from_db()
    assert city_member.nominated_by == "民建济南市委"
    event = AuditEvent.objects.get(verb="member_update")
    assert event.data == {"fields": ["nominated_by"]}
    assert "民建济南市委" not in str(event.data)  # names, never values

    with pytest.raises(ValidationFailed) as caught:
        member_update(
            actor=liaison_user,
            membership=city_member,
            member_data=person,
            membership_data=_term_facts(city, nominated_by="推" * 121),
        )
    assert set(caught.value.extra["errors"]) == {"nominated_by"}
    city_member.refresh_from_db()
    assert city_member.nominated_by == "民建济南市委"
    assert AuditEvent.objects.filter(verb="member_update").count() == 1


def test_the_body_is_per_term(liaison_user, city, city_member):
    """Next term a member may be nominated by another body; the old term keeps its own."""
    city_member.nominated_by = "民建济南市委"
    city_member.save(update_fields=["nominated_by"])
    city_member.term.is_current = False
    city_member.term.save(update_fields=["is_current"])
    next_term = TermFactory(
        committee=city, number=15, start_date=dt.date(2028, 1, 10), end_date=dt.date(2033, 1, 9)
    )
    member = city_member.member
    membership = member_create(
        actor=liaison_user,
        term=next_term,
        member_data=MemberData(
            name=member.name,
            gender=member.gender,
            id_number=member.id_number,
            birth_date=member.birth_date,
            mobile=member.mobile,
        ),
        membership_data=_term_facts(city, nominated_by="市工商联"),
    )
    assert Membership.objects.get(pk=membership.pk).nominated_by == "市工商联"
    city_member.refresh_from_db()
    assert city_member.nominated_by == "民建济南市委"


# ---------------------------------------------------------------------------------------------
# Pages


def test_edit_page_shows_the_body_and_offers_the_ones_in_use(
    client, liaison_user, city, city_member
):
    city_member.nominated_by = "民建济南市委"
    city_member.save(update_fields=["nominated_by"])
    for name, body in (("甲", "市工商联"), ("乙", "市工商联"), ("丙", "民盟济南市委")):
        MembershipFactory(member=MemberFactory(committee=city, name=name), nominated_by=body)
    client.force_login(liaison_user)
    html = client.get(reverse("members:edit", args=[city_member.pk])).content.decode()
    assert '<label class="form-label fw-semibold" for="id_nominated_by">推荐单位' in html
    assert 'name="nominated_by" value="民建济南市委"' in html
    assert 'list="nominating-body-options"' in html
    datalist = html.split('<datalist id="nominating-body-options">', 1)[1].split("</datalist>")[0]
    # most used first
    assert datalist.index("市工商联") < datalist.index("民建济南市委")
    assert '<option value="民盟济南市委">' in datalist


def test_edit_page_saves_the_body(client, liaison_user, city_member):
    client.force_login(liaison_user)
    response = client.post(
        reverse("members:edit", args=[city_member.pk]),
        member_form_data(city_member, nominated_by="中共济南市委统战部"),
    )
    assert response.status_code == 302
    city_member.refresh_from_db()
    assert city_member.nominated_by == "中共济南市委统战部"
    assert AuditEvent.objects.get(verb="member_update").data == {"fields": ["nominated_by"]}


@pytest.mark.parametrize(
    "value,message",
    [
        ("推" * 121, "“推荐单位”不能超过120个字（现为121个字）。"),
        ("民建\x0b济南市委", CONTROL_MESSAGE),
    ],
)
def test_edit_page_refuses_a_bad_body_with_a_message_on_the_field(
    client, liaison_user, city_member, value, message
):
    client.force_login(liaison_user)
    response = client.post(
        reverse("members:edit", args=[city_member.pk]),
        member_form_data(city_member, nominated_by=value),
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert f'id="id_nominated_by_error">{message}</div>' in html
    city_member.refresh_from_db()
    assert city_member.nominated_by == ""


def test_create_page_takes_the_body(client, liaison_user, city, city_term):
    client.force_login(liaison_user)
    html = client.get(reverse("members:create")).content.decode()
    assert 'name="nominated_by"' in html
    person = _person(2)
    response = client.post(
        reverse("members:create"),
        {
            "term": city_term.pk,
            "name": person.name,
            "gender": person.gender,
            "ethnicity": "汉族",
            "id_number": person.id_number,
            "sector": sector(city, "农业界").pk,
            "party": "jiusan",
            "position": "member",
            "status": "active",
            "nominated_by": "九三学社济南市委",
        },
    )
    assert response.status_code == 302
    assert Membership.objects.get(member__name=person.name).nominated_by == "九三学社济南市委"


def test_profile_shows_the_body_of_each_term(client, liaison_user, member_user, city):
    current = Membership.objects.get(member__user=member_user)
    current.nominated_by = "民盟济南市委"
    current.save(update_fields=["nominated_by"])
    past = TermFactory(
        committee=city,
        number=13,
        is_current=False,
        start_date=dt.date(2018, 1, 8),
        end_date=dt.date(2023, 1, 7),
    )
    MembershipFactory(
        member=current.member, term=past, sector=current.sector, nominated_by="市妇联"
    )
    client.force_login(liaison_user)
    html = client.get(reverse("members:detail", args=[current.pk])).content.decode()
    assert (
        '<dt class="col-5 col-sm-4">推荐单位</dt><dd class="col-7 col-sm-8">民盟济南市委</dd>'
        in html
    )
    assert "市妇联推荐" in html  # the earlier term in the history
    client.force_login(member_user)
    mine = client.get(reverse("members:my_profile")).content.decode()
    assert "民盟济南市委" in mine


def test_profile_without_a_body_shows_a_dash(client, liaison_user, city_member):
    client.force_login(liaison_user)
    html = client.get(reverse("members:detail", args=[city_member.pk])).content.decode()
    assert f"{BODY_ROW}—</dd>" in html


def test_roster_shows_and_searches_the_body(client, liaison_user, city, city_member):
    city_member.nominated_by = "民建济南市委"
    city_member.save(update_fields=["nominated_by"])
    MembershipFactory(
        member=MemberFactory(committee=city, name="刘洋"),
        sector=sector(city, "医药卫生界"),
        nominated_by="农工党济南市委",
    )
    client.force_login(liaison_user)
    response = client.get(reverse("members:roster"))
    html = response.content.decode()
    assert '<th scope="col">推荐单位</th>' in html
    assert "民建济南市委" in html and "农工党济南市委" in html
    found = client.get(reverse("members:roster"), {"q": "农工党"})
    assert [m.member.name for m in found.context["memberships"]] == ["刘洋"]
    assert "推荐单位" in str(found.context["form"]["q"].field.widget.attrs["placeholder"])


def test_api_lists_and_searches_the_body(client, liaison_user, city, city_member):
    city_member.nominated_by = "民建济南市委"
    city_member.save(update_fields=["nominated_by"])
    MembershipFactory(member=MemberFactory(committee=city, name="刘洋"), nominated_by="")
    client.force_login(liaison_user)
    items = {item["name"]: item for item in client.get("/api/v1/members").json()["items"]}
    assert items["张伟"]["nominated_by"] == "民建济南市委"
    assert items["刘洋"]["nominated_by"] == ""
    found = client.get("/api/v1/members", {"q": "民建济南"}).json()["items"]
    assert [item["name"] for item in found] == ["张伟"]
    one = client.get(f"/api/v1/members/{city_member.pk}").json()
    assert one["nominated_by"] == "民建济南市委"
