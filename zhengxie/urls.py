from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from apps.core import views as core_views

from .api import api

admin.site.site_header = "政协委员履职平台 · 系统管理"
admin.site.site_title = "政协委员履职平台"

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("accounts/", include("apps.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("api/v1/", api.urls),
    path("members/", include("apps.members.urls")),
    path("organisation/", include("apps.organisation.urls")),
    path("notifications/", include("apps.notifications.urls")),
    path("proposals/", include("apps.proposals.urls")),
    path("audit/", include("apps.core.urls")),
    path("", include("apps.dashboards.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
