from django.urls import path

from gongkai.core import views

app_name = "core"

urlpatterns = [
    path("workdays/", views.workday_calculator, name="workday-calculator"),
    path("calendar/", views.calendar_list, name="calendar-list"),
    path("calendar/new/", views.calendar_create, name="calendar-create"),
    path("calendar/<int:year>/", views.calendar_edit, name="calendar-edit"),
    path("audit/", views.audit_list, name="audit-list"),
]
