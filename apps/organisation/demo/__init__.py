"""Demo seeder of the organisation: 济南市政协 (第十四届) with 历下区政协 below it.

Committees, terms, plenary sessions, special committees, member groups and handling units come
from committees.toml and go through the organisation services (validated and audited; there are
only a few dozen rows). A committee created here edits the national list of sectors once: local
names for the people's organisations, unused sectors switched off.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.demo import DemoRun, load_data
from apps.sectors.models import Sector
from apps.sectors.services import sector_update

from .. import services as org
from ..models import (
    Committee,
    HandlingUnit,
    MemberGroup,
    PlenarySession,
    SpecialCommittee,
    Term,
)


@cache
def committee_specs() -> tuple[dict[str, Any], ...]:
    """The demo committees as committees.toml describes them, parents first."""
    return tuple(load_data(__file__, "committees.toml")["committees"])


def committee_spec(code: str) -> dict[str, Any]:
    return next(spec for spec in committee_specs() if spec["code"] == code)


def sector_renames(code: str) -> dict[str, str]:
    """National sector name → the name committee `code` uses."""
    return dict(committee_spec(code).get("sector_renames", []))


@transaction.atomic
def seed(run: DemoRun) -> None:
    for spec in committee_specs():
        parent = Committee.objects.get(code=spec["parent"]) if spec.get("parent") else None
        _committee(run, spec, parent)


def _committee(run: DemoRun, spec: dict[str, Any], parent: Committee | None) -> None:
    committee = Committee.objects.filter(code=spec["code"]).first()
    if committee is None:
        committee = org.committee_create(
            name=spec["name"],
            short_name=spec["short_name"],
            level=spec["level"],
            code=spec["code"],
            parent=parent,
        )
        run.created(_("政协组织"))
        renames, unused = sector_renames(spec["code"]), set(spec.get("sectors_unused", []))
        for sector in Sector.objects.filter(committee=committee):
            if sector.name in renames:
                sector_update(sector=sector, name=renames[sector.name])
            elif sector.name in unused:
                sector_update(sector=sector, is_active=False)
    terms = {term.number: term for term in Term.objects.filter(committee=committee)}
    past = spec.get("past_term")
    if past and past["number"] not in terms:
        org.term_create(
            committee=committee,
            number=past["number"],
            start_date=past["start"],
            end_date=past["end"],
        )
        run.created(_("届"))
    current = spec["term"]
    term = terms.get(current["number"])
    if term is None:
        term = org.term_create(
            committee=committee,
            number=current["number"],
            start_date=current["start"],
            end_date=current["end"],
            make_current=True,
        )
        run.created(_("届"))
    have = set(PlenarySession.objects.filter(term=term).values_list("number", flat=True))
    for session in spec["sessions"]:
        if session["number"] not in have:
            deadline: dt.datetime = session["proposal_deadline"]
            org.plenary_session_create(
                term=term,
                number=session["number"],
                start_date=session["opening"],
                end_date=session["closing"],
                proposal_deadline=timezone.make_aware(deadline),
            )
            run.created(_("全体会议"))
    names = set(SpecialCommittee.objects.filter(committee=committee).values_list("name", flat=True))
    for name in spec["special_committees"]:
        if name not in names:
            org.special_committee_create(committee=committee, name=name)
            run.created(_("专门委员会"))
    names = set(MemberGroup.objects.filter(committee=committee).values_list("name", flat=True))
    for group in spec["groups"]:
        if group["name"] not in names:
            org.member_group_create(committee=committee, name=group["name"], kind=group["kind"])
            run.created(_("委员小组"))
    names = set(HandlingUnit.objects.filter(committee=committee).values_list("name", flat=True))
    for unit in spec["units"]:
        if unit["name"] not in names:
            org.handling_unit_create(
                committee=committee,
                name=unit["name"],
                system=unit["system"],
                contact_person=unit["contact_person"],
                contact_phone=unit["contact_phone"],
            )
            run.created(_("承办单位"))
