from django.urls import path

from gongkai.disputes import views

app_name = "disputes"

urlpatterns = [
    path("staff/<slug:agency_slug>/disputes/", views.staff_list, name="staff-list"),
    path("staff/<slug:agency_slug>/disputes/new/", views.staff_create, name="staff-create"),
    path("staff/<slug:agency_slug>/disputes/<str:number>/", views.staff_detail, name="staff-detail"),
    path("staff/<slug:agency_slug>/disputes/<str:number>/documents/", views.staff_document, name="staff-document"),
    path("staff/<slug:agency_slug>/disputes/<str:number>/evidence.pdf", views.staff_bundle, name="staff-bundle"),
    path("staff/<slug:agency_slug>/disputes/<str:number>/<slug:kind>/", views.staff_event, name="staff-event"),
]
