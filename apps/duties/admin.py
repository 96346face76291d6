from django.contrib import admin

from .models import ActivityType, DutySettings, DutyYear, ScoringRuleSet, WarningRule


@admin.register(ScoringRuleSet)
class ScoringRuleSetAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("committee", "year", "kind", "name", "status", "version")
    list_filter = ("kind", "status", "year")
    readonly_fields = ("definition", "version")


@admin.register(DutyYear)
class DutyYearAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = (
        "committee",
        "year",
        "closed",
        "recompute_status",
        "recompute_done",
        "recompute_total",
    )
    readonly_fields = ("recompute_token",)


@admin.register(ActivityType)
class ActivityTypeAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("committee", "code", "name", "sort_order", "is_active")


@admin.register(DutySettings)
class DutySettingsAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("committee", "evidence_types", "evidence_max_mb", "filing_max_days")


@admin.register(WarningRule)
class WarningRuleAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("committee", "label", "kind", "threshold", "years", "is_active")
