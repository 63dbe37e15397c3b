from django.urls import path

from gongkai.accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("password/", views.password_change, name="password-change"),
    path("role-requests/", views.role_request_list, name="role-request-list"),
    path("role-requests/<int:pk>/decide/", views.role_request_decide, name="role-request-decide"),
    path("agencies/<slug:agency_slug>/", views.agency_edit, name="agency-edit"),
    path("agencies/<slug:agency_slug>/staff/", views.user_list, name="user-list"),
    path("agencies/<slug:agency_slug>/staff/new/", views.user_create, name="user-create"),
    path("agencies/<slug:agency_slug>/staff/<int:pk>/", views.user_edit, name="user-edit"),
    path("agencies/<slug:agency_slug>/staff/<int:pk>/disable/", views.user_deactivate, name="user-deactivate"),
    path("agencies/<slug:agency_slug>/staff/<int:pk>/enable/", views.user_activate, name="user-activate"),
]
