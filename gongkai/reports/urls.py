from django.urls import path

from gongkai.reports import views

app_name = "reports"

urlpatterns = [
    path("staff/district-reports/", views.district, name="district"),
    path("staff/<slug:agency_slug>/reports/", views.staff_list, name="staff-list"),
    path("staff/<slug:agency_slug>/reports/new/", views.staff_start, name="staff-start"),
    path("staff/<slug:agency_slug>/reports/<int:year>/", views.staff_detail, name="staff-detail"),
    path("staff/<slug:agency_slug>/reports/<int:year>/edit/", views.staff_edit, name="staff-edit"),
    path("staff/<slug:agency_slug>/reports/<int:year>/correct/", views.staff_correct, name="staff-correct"),
    path("staff/<slug:agency_slug>/reports/<int:year>/report.json", views.staff_json, name="staff-json"),
    path("staff/<slug:agency_slug>/reports/<int:year>/report.<slug:fmt>", views.staff_download, name="staff-download"),
    path("staff/<slug:agency_slug>/reports/<int:year>/<slug:action>/", views.staff_action, name="staff-action"),
]
