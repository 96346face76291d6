"""Admin for consultation settings, forms and venues (staff use the settings page; the admin
is for system administrators)."""

from __future__ import annotations

from django.contrib import admin

from .models import ConsultationSettings, MeetingForm, Venue


@admin.register(ConsultationSettings)
class ConsultationSettingsAdmin(admin.ModelAdmin):
    list_display = ("committee", "notice_working_days", "materials_working_days")


@admin.register(MeetingForm)
class MeetingFormAdmin(admin.ModelAdmin):
    list_display = ("name", "committee", "kind", "leave_approver", "is_active")
    list_filter = ("committee", "kind")


@admin.register(Venue)
class VenueAdmin(admin.ModelAdmin):
    list_display = ("name", "committee", "capacity", "is_active")
    list_filter = ("committee",)
