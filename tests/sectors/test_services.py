import pytest

from apps.core.errors import ValidationFailed
from apps.core.models import AuditEvent
from apps.sectors.defaults import NATIONAL_SECTORS
from apps.sectors.models import Sector
from apps.sectors.services import (
    sector_create,
    sector_move,
    sector_update,
    sectors_seed_defaults,
)

pytestmark = pytest.mark.django_db


def _names(committee):
    return list(
        Sector.objects.filter(committee=committee)
        .order_by("sort_order", "id")
        .values_list("name", flat=True)
    )


def test_seeding_twice_creates_no_duplicates(city):
    assert Sector.objects.filter(committee=city).count() == 34
    assert sectors_seed_defaults(committee=city) == 0
    assert Sector.objects.filter(committee=city).count() == 34


def test_seeding_again_keeps_renamed_and_deactivated_sectors(city, admin_user):
    union = Sector.objects.get(committee=city, name="中华全国总工会")
    sector_update(sector=union, name="总工会界", actor=admin_user)
    hk = Sector.objects.get(committee=city, name="特邀香港人士")
    sector_update(sector=hk, is_active=False, actor=admin_user)

    assert sectors_seed_defaults(committee=city) == 0

    names = _names(city)
    assert "总工会界" in names and "中华全国总工会" not in names
    assert len(names) == 34
    assert not Sector.objects.get(pk=hk.pk).is_active


def test_seeding_adopts_a_local_sector_with_a_standard_name(db):
    from tests.factories import CommitteeFactory

    committee = CommitteeFactory(code="adopt")
    Sector.objects.create(committee=committee, name="经济界", sort_order=1)
    assert sectors_seed_defaults(committee=committee) == 33
    assert Sector.objects.get(committee=committee, name="经济界").standard_name == "经济界"
    assert _names(committee)[0] == "经济界"


def test_sector_create_appends_and_audits(city, liaison_user):
    sector = sector_create(committee=city, name=" 旅游界 ", created_by=liaison_user)
    assert sector.name == "旅游界"
    assert _names(city)[-1] == "旅游界"
    event = AuditEvent.objects.get(verb="sector_create")
    assert (event.actor, event.committee, event.object_repr) == (liaison_user, city, "旅游界")


def test_sector_names_are_unique_per_committee(city, district):
    with pytest.raises(ValidationFailed, match="已存在"):
        sector_create(committee=city, name="经济界")
    # Another committee may use the same name.
    assert sector_create(committee=district, name="旅游界").committee == district
    with pytest.raises(ValidationFailed, match="请填写"):
        sector_create(committee=city, name="   ")


def test_sector_update_audits_changes_and_ignores_no_ops(city, liaison_user):
    sector = Sector.objects.get(committee=city, name="体育界")
    sector_update(sector=sector, name="体育界", is_active=True, actor=liaison_user)
    assert not AuditEvent.objects.filter(verb="sector_update").exists()

    sector_update(sector=sector, is_active=False, actor=liaison_user)
    event = AuditEvent.objects.get(verb="sector_update")
    assert (event.from_state, event.to_state) == ("active", "inactive")
    assert event.data == {"changes": {"is_active": [True, False]}}


def test_sector_move_reorders_and_stops_at_the_ends(city, liaison_user):
    first, second = (Sector.objects.get(committee=city, name=n) for n in NATIONAL_SECTORS[:2])
    sector_move(sector=second, offset=-1, actor=liaison_user)
    assert _names(city)[:2] == [NATIONAL_SECTORS[1], NATIONAL_SECTORS[0]]
    event = AuditEvent.objects.get(verb="sector_reorder")
    assert (event.from_state, event.to_state) == ("2", "1")

    sector_move(sector=second, offset=-1, actor=liaison_user)  # already first: no-op
    assert AuditEvent.objects.filter(verb="sector_reorder").count() == 1
    sector_move(sector=first, offset=100, actor=liaison_user)
    assert _names(city)[-1] == NATIONAL_SECTORS[0]


def test_a_refused_rename_changes_nothing(city, liaison_user):
    sector = Sector.objects.get(committee=city, name="体育界")
    with pytest.raises(ValidationFailed, match="界别“经济界”已存在。"):
        sector_update(sector=sector, name=" 经济界 ", actor=liaison_user)
    with pytest.raises(ValidationFailed, match="界别名称不能超过 60 个字。"):
        sector_update(sector=sector, name="界" * 61, actor=liaison_user)
    sector.refresh_from_db()
    assert sector.name == "体育界"
    assert not AuditEvent.objects.filter(verb="sector_update").exists()


def test_a_rename_saves_the_cleaned_name_and_audits_it(city, liaison_user):
    sector = Sector.objects.get(committee=city, name="体育界")
    before = sector.updated_at
    sector_update(sector=sector, name="  体育和  健康界 ", actor=liaison_user)
    sector.refresh_from_db()
    assert sector.name == "体育和 健康界" and sector.updated_at > before
    event = AuditEvent.objects.get(verb="sector_update")
    assert event.data == {"changes": {"name": ["体育界", "体育和 健康界"]}}
    assert (event.from_state, event.to_state) == ("", "")
