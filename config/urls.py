from django.urls import include, path

from gongkai.core.api import api

urlpatterns = [
    path("", include("gongkai.portal.urls")),
    path("", include("gongkai.applications.urls")),
    path("", include("gongkai.catalog.urls")),
    path("", include("gongkai.disputes.urls")),
    path("", include("gongkai.reports.urls")),
    path("staff/", include("gongkai.accounts.urls")),
    path("staff/", include("gongkai.core.urls")),
    path("api/v1/", api.urls),
]

handler400 = "gongkai.core.errors.bad_request"
handler403 = "gongkai.core.errors.permission_denied"
handler404 = "gongkai.core.errors.page_not_found"
handler500 = "gongkai.core.errors.server_error"
