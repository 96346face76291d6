"""factory_boy factories with Chinese data."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone
from faker import Faker

from apps.accounts.models import User
from apps.members.idcard import id_number_make
from apps.members.models import Gender, Member, Membership, Party, Position
from apps.organisation.models import (
    Committee,
    CommitteeLevel,
    HandlingUnit,
    MemberGroup,
    PlenarySession,
    SpecialCommittee,
    Term,
    UnitSystem,
)
from apps.sectors.models import Sector

fake = Faker("zh_CN")
TEST_PASSWORD = "Zx-Test-Password-2026"


class CommitteeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Committee
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"测试市{n}政协")
    level = CommitteeLevel.CITY
    code = factory.Sequence(lambda n: f"test-{n}")


class TermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Term

    committee = factory.SubFactory(CommitteeFactory)
    number = 14
    start_date = dt.date(2023, 1, 10)
    end_date = dt.date(2028, 1, 9)
    is_current = True


class PlenarySessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlenarySession

    term = factory.SubFactory(TermFactory)
    committee = factory.SelfAttribute("term.committee")
    number = 3
    start_date = dt.date(2026, 1, 12)
    end_date = dt.date(2026, 1, 16)
    proposal_deadline = factory.LazyFunction(
        lambda: timezone.make_aware(dt.datetime(2026, 1, 14, 18, 0))
    )


class SectorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sector
        django_get_or_create = ("committee", "name")

    committee = factory.SubFactory(CommitteeFactory)
    name = factory.Iterator(["教育界", "经济界", "医药卫生界", "科学技术界", "农业界"])


class SpecialCommitteeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SpecialCommittee
        django_get_or_create = ("committee", "name")

    committee = factory.SubFactory(CommitteeFactory)
    name = factory.Iterator(["提案委员会", "经济委员会", "教科卫体委员会"])


class MemberGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MemberGroup
        django_get_or_create = ("committee", "name")

    committee = factory.SubFactory(CommitteeFactory)
    name = factory.Sequence(lambda n: f"第{n + 1}委员小组")


class HandlingUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HandlingUnit
        django_get_or_create = ("committee", "name")

    committee = factory.SubFactory(CommitteeFactory)
    name = factory.Iterator(["市教育局", "市卫生健康委员会", "市住房和城乡建设局", "市交通运输局"])
    system = UnitSystem.GOVERNMENT


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    name = factory.LazyFunction(fake.name)
    phone = factory.Sequence(lambda n: f"139{n:08d}")
    committee = factory.SubFactory(CommitteeFactory)
    password = factory.django.Password(TEST_PASSWORD)


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    committee = factory.SubFactory(CommitteeFactory)
    name = factory.LazyFunction(fake.name)
    gender = Gender.FEMALE
    ethnicity = "汉族"
    birth_date = dt.date(1970, 5, 17)
    id_number = factory.Sequence(
        lambda n: id_number_make(region="370102", birth_date=dt.date(1970, 5, 17), sequence=n)
    )
    mobile = factory.Sequence(lambda n: f"138{n:08d}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    member = factory.SubFactory(MemberFactory)
    committee = factory.SelfAttribute("member.committee")
    term = factory.LazyAttribute(
        lambda o: (
            Term.objects.filter(committee=o.committee, is_current=True).first()
            or TermFactory(committee=o.committee)
        )
    )
    sector = factory.LazyAttribute(lambda o: SectorFactory(committee=o.committee))
    party = Party.NONPARTY
    position = Position.MEMBER
    work_unit = factory.LazyFunction(fake.company)
    job_title = "副教授"
