from django.urls import path

from gongkai.applications import views

app_name = "applications"

STAFF = "staff/agencies/<slug:agency_slug>/applications/"

urlpatterns = [
    path("agencies/<slug:agency_slug>/apply/", views.apply, name="apply"),
    path("applications/receipt/", views.receipt, name="receipt"),
    path("applications/track/", views.track, name="track"),
    path(STAFF, views.staff_list, name="staff-list"),
    path(STAFF + "new/", views.staff_create, name="staff-create"),
    path(STAFF + "archive/", views.archive, name="archive"),
    path(STAFF + "archive/<int:pk>.zip", views.archive_file, name="archive-file"),
    path(STAFF + "<str:number>/", views.staff_detail, name="staff-detail"),
    path(STAFF + "<str:number>/events/<str:kind>/", views.staff_event, name="staff-event"),
    path(STAFF + "<str:number>/reveal/", views.staff_reveal, name="staff-reveal"),
    path(STAFF + "<str:number>/attachments/<int:pk>/", views.staff_attachment, name="staff-attachment"),
    path(STAFF + "<str:number>/notices/", views.staff_notice, name="staff-notice"),
    path(STAFF + "<str:number>/receipt-with-code/", views.staff_receipt_with_code, name="staff-receipt-with-code"),
    path(STAFF + "<str:number>/notices/<int:pk>.<str:fmt>", views.staff_notice_file, name="staff-notice-file"),
    path("applications/track/notice/", views.track_notice, name="track-notice"),
    path("staff/agencies/<slug:agency_slug>/notice-templates/", views.template_list, name="template-list"),
    path("staff/agencies/<slug:agency_slug>/notice-templates/<str:kind>/", views.template_edit, name="template-edit"),
]
