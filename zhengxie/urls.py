from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from apps.consultations.web.online import public as consultation_public
from apps.core import views as core_views

from .api import api

admin.site.site_header = "政协委员履职平台 · 系统管理"
admin.site.site_title = "政协委员履职平台"

# The portal's Chinese error pages (apps.core.pages.error_response), never Django's defaults.
handler400 = "apps.core.views.bad_request"
handler403 = "apps.core.views.permission_denied"
handler404 = "apps.core.views.page_not_found"
handler500 = "apps.core.views.server_error"

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
    path("opinions/", include("apps.opinions.urls")),
    path("consultations/", include("apps.consultations.web.urls")),
    path("duties/", include("apps.duties.urls")),
    path("study/", include("apps.study.urls")),
    # 码上商量's short address for QR posters (the same page as consultations:public).
    path("s/<str:key>/", consultation_public, name="consultation_short"),
    path("audit/", include("apps.dashboards.audit.urls")),
    path("", include("apps.dashboards.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
