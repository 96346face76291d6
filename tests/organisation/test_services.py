import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.core.errors import ValidationFailed
from apps.core.models import AuditEvent
from apps.organisation import services
from apps.organisation.models import Committee, CommitteeLevel, Term, UnitSystem
from apps.sectors.models import Sector

pytestmark = pytest.mark.django_db


def test_committee_create_seeds_34_editable_sectors(admin_user):
    committee = services.committee_create(
        name="青岛市政协", level=CommitteeLevel.CITY, code="qingdao", created_by=admin_user
    )
    sectors = Sector.objects.filter(committee=committee)
    assert sectors.count() == 34
    assert sectors.filter(is_active=True).count() == 34
    event = AuditEvent.objects.get(verb="committee_create")
    assert event.committee == committee and event.data["sectors"] == 34


def test_committee_create_refuses_bad_input(city):
    with pytest.raises(ValidationFailed, match="已存在"):
        services.committee_create(name="济南市政协", level="city", code="jinan2")
    with pytest.raises(ValidationFailed, match="已被使用"):
        services.committee_create(name="新政协", level="city", code="jinan")
    with pytest.raises(ValidationFailed, match="代码"):
        services.committee_create(name="新政协", level="city", code="有 空格")
    with pytest.raises(ValidationFailed, match="层级"):
        services.committee_create(name="新政协", level="village", code="new")
    with pytest.raises(ValidationFailed, match="上级政协的层级"):
        services.committee_create(name="某省政协", level="province", code="prov", parent=city)
    assert not Committee.objects.filter(name="新政协").exists()


def test_term_set_current_keeps_exactly_one_current(city, city_term, admin_user):
    new_term = services.term_create(
        committee=city, number=15, start_date=dt.date(2028, 1, 10), created_by=admin_user
    )
    assert not new_term.is_current
    services.term_set_current(term=new_term, actor=admin_user)
    assert list(Term.objects.filter(committee=city, is_current=True)) == [new_term]
    event = AuditEvent.objects.get(verb="term_set_current")
    assert (event.from_state, event.to_state) == ("第十四届", "第十五届")

    services.term_set_current(term=new_term, actor=admin_user)  # already current: no-op
    assert AuditEvent.objects.filter(verb="term_set_current").count() == 1


def test_database_refuses_two_current_terms(city, city_term):
    with pytest.raises(IntegrityError), transaction.atomic():
        Term.objects.create(
            committee=city, number=15, start_date=dt.date(2028, 1, 1), is_current=True
        )


def test_term_create_refuses_duplicates_and_bad_dates(city, city_term):
    with pytest.raises(ValidationFailed, match="第十四届已存在"):
        services.term_create(committee=city, number=14, start_date=dt.date(2023, 1, 1))
    with pytest.raises(ValidationFailed, match="结束日期"):
        services.term_create(
            committee=city, number=16, start_date=dt.date(2033, 1, 1), end_date=dt.date(2032, 1, 1)
        )


def test_plenary_session_create_checks_dates_and_deadline(city_term, liaison_user):
    deadline = dt.datetime(2027, 1, 8, 17, 0)  # naive: taken as Asia/Shanghai
    session = services.plenary_session_create(
        term=city_term,
        number=4,
        start_date=dt.date(2027, 1, 11),
        end_date=dt.date(2027, 1, 15),
        proposal_deadline=deadline,
        created_by=liaison_user,
    )
    assert session.name == "第十四届第四次会议"
    assert timezone.localtime(session.proposal_deadline).hour == 17
    assert AuditEvent.objects.filter(verb="plenary_session_create", actor=liaison_user).exists()

    def create(**overrides):
        values = {
            "term": city_term,
            "number": 5,
            "start_date": dt.date(2027, 12, 1),
            "end_date": dt.date(2027, 12, 4),
            "proposal_deadline": dt.datetime(2027, 11, 30, 17, 0),
        }
        values.update(overrides)
        return services.plenary_session_create(**values)

    with pytest.raises(ValidationFailed, match="已存在"):
        create(number=4)
    with pytest.raises(ValidationFailed, match="闭幕日期不能早于"):
        create(end_date=dt.date(2027, 11, 1))
    with pytest.raises(ValidationFailed, match="任期内"):
        create(start_date=dt.date(2030, 1, 1), end_date=dt.date(2030, 1, 3))
    with pytest.raises(ValidationFailed, match="提案截止时间"):
        create(proposal_deadline=dt.datetime(2027, 12, 10, 17, 0))


def test_special_committee_group_and_unit_create_and_update(city, liaison_user):
    special = services.special_committee_create(
        committee=city, name="经济委员会", created_by=liaison_user
    )
    services.special_committee_update(
        special_committee=special, is_active=False, actor=liaison_user
    )
    special.refresh_from_db()
    assert not special.is_active

    group = services.member_group_create(
        committee=city, name="第一委员小组", created_by=liaison_user
    )
    services.member_group_update(member_group=group, kind="activity", actor=liaison_user)
    group.refresh_from_db()
    assert group.kind == "activity"
    with pytest.raises(ValidationFailed, match="类型"):
        services.member_group_update(member_group=group, kind="club")

    unit = services.handling_unit_create(
        committee=city,
        name="市人民检察院",
        system=UnitSystem.PROCURATORATE,
        contact_phone="0531-12345678",
        created_by=liaison_user,
    )
    with pytest.raises(ValidationFailed, match="所属系统"):
        services.handling_unit_create(committee=city, name="某单位", system="army")
    services.handling_unit_update(handling_unit=unit, name="市人民检察院")  # unchanged: no-op
    with pytest.raises(ValidationFailed, match="已存在"):
        services.handling_unit_create(committee=city, name="市人民检察院", system="other")
    services.handling_unit_update(handling_unit=unit, contact_person="张伟", actor=liaison_user)

    verbs = list(AuditEvent.objects.order_by("id").values_list("verb", flat=True))
    assert verbs == [
        "special_committee_create",
        "special_committee_update",
        "member_group_create",
        "member_group_update",
        "handling_unit_create",
        "handling_unit_update",
    ]


def test_updates_save_and_audit_only_what_changed(city, liaison_user):
    unit = services.handling_unit_create(
        committee=city, name="市财政局", system=UnitSystem.GOVERNMENT, created_by=liaison_user
    )
    services.handling_unit_update(
        handling_unit=unit,
        name="市财政局",  # unchanged
        contact_person=" 张伟 ",
        is_active=False,
        actor=liaison_user,
    )
    unit.refresh_from_db()
    assert (unit.contact_person, unit.is_active) == ("张伟", False)
    event = AuditEvent.objects.get(verb="handling_unit_update")
    assert (event.actor, event.committee) == (liaison_user, city)
    assert (event.from_state, event.to_state) == ("active", "inactive")
    assert event.data == {
        "changes": {"contact_person": ["", "张伟"], "is_active": ["True", "False"]}
    }

    events = AuditEvent.objects.count()
    services.handling_unit_update(handling_unit=unit, contact_person="张伟", is_active=False)
    assert AuditEvent.objects.count() == events  # nothing changed: nothing saved or audited


def test_refused_updates_change_nothing(city, liaison_user):
    first = services.special_committee_create(committee=city, name="经济委员会")
    second = services.special_committee_create(committee=city, name="农业委员会")
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationFailed, match="专门委员会“经济委员会”已存在。"):
        services.special_committee_update(special_committee=second, name=" 经济委员会 ")
    with pytest.raises(ValidationFailed, match="专门委员会名称不能超过 60 个字。"):
        services.special_committee_update(special_committee=first, name="委" * 61)
    with pytest.raises(ValidationFailed, match="请填写小组名称。"):
        services.member_group_create(committee=city, name="  ")
    second.refresh_from_db()
    assert second.name == "农业委员会"
    assert AuditEvent.objects.count() == events
