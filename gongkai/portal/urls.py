from django.urls import path

from gongkai.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("agencies/<slug:agency_slug>/guide/", views.guide, name="guide"),
]
