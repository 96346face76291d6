"""Demo seeder of the dashboards: the leadership dashboard's figures of this year and last for
every demo committee, and last year's 年度履职报告 built for every member (content now, each
PDF on its first download) with the committee's annual summary. Runs after every other
seeder (it reads what they made). Safe to run twice: built reports are kept, the figures are
recomputed from scratch."""

from __future__ import annotations

from django.utils.translation import gettext as _

from apps.core import clock
from apps.core.demo import DemoRun
from apps.organisation.models import Committee

from ..leadership.services import snapshot_refresh
from ..reports.services import reports_build_now


def seed(run: DemoRun) -> None:
    year = clock.today().year
    for committee in Committee.objects.filter(is_active=True).order_by("id"):
        for which in (year - 1, year):
            snapshot_refresh(committee_id=committee.pk, year=which)
        built = reports_build_now(committee_id=committee.pk, year=year - 1)
        run.created("年度履职报告", built)
        run.progress(f"{committee.name}: {built}")
    run.note(
        _(
            "年度履职报告：上一年度已为每位委员生成（委员：年度履职报告；"
            "委员联络处：年度报告，可重新生成并查看进度）。"
        )
    )
