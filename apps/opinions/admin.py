"""Read-mostly admin views for system administrators; the office works in the portal's pages."""

from django.contrib import admin

from .models import (
    AdoptionLevel,
    BulletinIssue,
    InformationLiaison,
    OpinionCategory,
    OpinionReport,
    OpinionSettings,
    ReportingUnit,
)


@admin.register(OpinionReport)
class OpinionReportAdmin(admin.ModelAdmin):
    list_display = ("title", "committee", "status", "origin", "is_urgent", "submitted_at")
    list_filter = ("committee", "status", "origin", "is_urgent")
    search_fields = ("title",)
    readonly_fields = [f.name for f in OpinionReport._meta.fields]

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(BulletinIssue)
class BulletinIssueAdmin(admin.ModelAdmin):
    list_display = ("__str__", "committee", "series", "status", "published_at")
    list_filter = ("committee", "series", "status")
    readonly_fields = [f.name for f in BulletinIssue._meta.fields]

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


admin.site.register(OpinionSettings)
admin.site.register(OpinionCategory)
admin.site.register(AdoptionLevel)
admin.site.register(ReportingUnit)
admin.site.register(InformationLiaison)
