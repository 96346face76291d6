"""Admin for the proposal settings and categories, and the working-day calendar (CalendarDay
lives in apps.core.workdays; registered here until apps.core has an admin module)."""

from __future__ import annotations

from django.contrib import admin

from apps.core.workdays import CalendarDay

from .models import ProposalCategory, ProposalSettings


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ("date", "is_workday", "note")
    list_filter = ("is_workday",)
    search_fields = ("note",)
    date_hierarchy = "date"
    ordering = ("-date",)


@admin.register(ProposalSettings)
class ProposalSettingsAdmin(admin.ModelAdmin):
    list_display = ("committee", "body_max_chars", "handling_months", "rating_working_days")
    list_select_related = ("committee",)


@admin.register(ProposalCategory)
class ProposalCategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "committee", "sort_order", "is_active")
    list_filter = ("committee", "is_active")
    list_select_related = ("committee",)
