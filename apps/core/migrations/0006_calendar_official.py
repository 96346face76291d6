"""Seed the working-day calendar from the `chinese-calendar` package.

The rows typed in by 0004 (2025, 2026) are the State Council's lists: they are marked as such
(`official` = what they say), then every year the package knows is synced
(apps.core.workdays.sync_rows): missing dates added, rows that differ corrected. Rows staff
added or changed since are overrides and are left alone.
"""

from django.db import migrations, models
from django.db.models import F


def forwards(apps, schema_editor):
    from apps.core.workdays import official_years, sync_rows

    CalendarDay = apps.get_model("core", "CalendarDay")
    CalendarDay.objects.filter(date__year__in=[2025, 2026]).update(official=F("is_workday"))
    sync_rows(CalendarDay, official_years())


class Migration(migrations.Migration):
    dependencies = [("core", "0005_corpus_term")]

    operations = [
        migrations.AddField(
            model_name="calendarday",
            name="official",
            field=models.BooleanField(
                blank=True,
                editable=False,
                help_text="chinese-calendar 所列的安排（是否上班）；为空或与“工作日”不同即为人工调整。",
                null=True,
                verbose_name="国务院安排",
            ),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
