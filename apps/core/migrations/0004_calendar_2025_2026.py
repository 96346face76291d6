"""Seed the State Council's holiday lists for 2025 (国办发明电 [2024] 12号) and 2026 (published
2025-11-04). Data, not code: staff correct or extend it in the admin (节假日与调休); later years
are entered when published. Existing rows are left alone, so edits survive a re-run.

Only dates that differ from the plain week are stored: holidays falling on weekdays (weekend
days inside a holiday are listed too, for readability) and make-up working days on weekends.
"""

import datetime as dt

from django.db import migrations

# (first day, last day, note) of each holiday; (date, note) of each make-up working day.
HOLIDAYS = {
    2025: [
        ("2025-01-01", "2025-01-01", "元旦"),
        ("2025-01-28", "2025-02-04", "春节"),
        ("2025-04-04", "2025-04-06", "清明节"),
        ("2025-05-01", "2025-05-05", "劳动节"),
        ("2025-05-31", "2025-06-02", "端午节"),
        ("2025-10-01", "2025-10-08", "国庆节、中秋节"),
    ],
    2026: [
        ("2026-01-01", "2026-01-03", "元旦"),
        ("2026-02-15", "2026-02-23", "春节"),
        ("2026-04-04", "2026-04-06", "清明节"),
        ("2026-05-01", "2026-05-05", "劳动节"),
        ("2026-06-19", "2026-06-21", "端午节"),
        ("2026-09-25", "2026-09-27", "中秋节"),
        ("2026-10-01", "2026-10-07", "国庆节"),
    ],
}
MAKEUP_WORKDAYS = {
    2025: [
        ("2025-01-26", "春节调休上班"),
        ("2025-02-08", "春节调休上班"),
        ("2025-04-27", "劳动节调休上班"),
        ("2025-09-28", "国庆节调休上班"),
        ("2025-10-11", "国庆节调休上班"),
    ],
    2026: [
        ("2026-01-04", "元旦调休上班"),
        ("2026-02-14", "春节调休上班"),
        ("2026-02-28", "春节调休上班"),
        ("2026-05-09", "劳动节调休上班"),
        ("2026-09-20", "国庆节调休上班"),
        ("2026-10-10", "国庆节调休上班"),
    ],
}


def _rows():
    for periods in HOLIDAYS.values():
        for first, last, note in periods:
            day = dt.date.fromisoformat(first)
            end = dt.date.fromisoformat(last)
            while day <= end:
                yield day, False, note
                day += dt.timedelta(days=1)
    for days in MAKEUP_WORKDAYS.values():
        for iso, note in days:
            yield dt.date.fromisoformat(iso), True, note


def forwards(apps, schema_editor):
    CalendarDay = apps.get_model("core", "CalendarDay")
    for day, is_workday, note in _rows():
        CalendarDay.objects.get_or_create(
            date=day, defaults={"is_workday": is_workday, "note": note}
        )


def backwards(apps, schema_editor):
    CalendarDay = apps.get_model("core", "CalendarDay")
    CalendarDay.objects.filter(date__year__in=list(HOLIDAYS)).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0003_calendar_day")]
    operations = [migrations.RunPython(forwards, backwards)]
