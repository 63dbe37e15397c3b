from django.contrib.sitemaps.views import sitemap
from django.urls import path

from gongkai.catalog import bulk, views
from gongkai.catalog.feeds import SITEMAPS, LatestEntriesFeed

app_name = "catalog"

urlpatterns = [
    # Public
    path("catalog/", views.catalog_index, name="index"),
    path("agencies/<slug:agency_slug>/catalog/", views.catalog_index, name="agency-catalog"),
    path("catalog/items/<path:index_number>/", views.public_entry, name="item"),
    path("catalog/files/<int:pk>/", views.public_attachment, name="attachment"),
    path("catalog/feed.atom", LatestEntriesFeed(), name="feed"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    # Staff
    path("staff/<slug:agency_slug>/catalog/", views.staff_list, name="staff-list"),
    path("staff/<slug:agency_slug>/catalog/new/", views.staff_edit, name="staff-create"),
    path("staff/<slug:agency_slug>/catalog/<int:pk>/", views.staff_detail, name="staff-detail"),
    path("staff/<slug:agency_slug>/catalog/<int:pk>/edit/", views.staff_edit, name="staff-edit"),
    path("staff/<slug:agency_slug>/catalog/<int:pk>/action/", views.staff_action, name="staff-action"),
    path(
        "staff/<slug:agency_slug>/catalog/<int:pk>/versions/<int:number>/", views.staff_revision, name="staff-version"
    ),
    path(
        "staff/<slug:agency_slug>/catalog/<int:pk>/review-form.pdf", views.staff_review_form, name="staff-review-form"
    ),
    path("staff/<slug:agency_slug>/catalog/files/<int:pk>/", views.staff_attachment, name="staff-attachment"),
    path("staff/<slug:agency_slug>/catalog/leader-queue/", views.staff_leader_queue, name="staff-leader-queue"),
    path("staff/<slug:agency_slug>/catalog/subcategories/", views.staff_subcategories, name="staff-subcategories"),
    path("staff/<slug:agency_slug>/catalog/import/", bulk.import_view, name="staff-import"),
    path("staff/<slug:agency_slug>/catalog/import/<int:pk>/", bulk.import_status, name="staff-import-status"),
    path("staff/<slug:agency_slug>/catalog/import/<int:pk>/review/", bulk.import_review, name="staff-import-review"),
    path("staff/<slug:agency_slug>/catalog/import/<int:pk>/approve/", bulk.import_approve, name="staff-import-approve"),
    path("staff/<slug:agency_slug>/catalog/import/<int:pk>/reject/", bulk.import_reject, name="staff-import-reject"),
    path("staff/<slug:agency_slug>/catalog/export.xlsx", bulk.export_view, name="staff-export"),
]
