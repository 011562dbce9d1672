"""URLs of workroom archives (DOMAIN.md §8), under /archives/."""

from django.urls import path

from workrooms.archive import views

app_name = "archive"

urlpatterns = [
    path("", views.archive_index, name="archive_index"),
    path("workrooms/<int:workroom_pk>/", views.archive_list, name="archive_list"),
    path("workrooms/<int:workroom_pk>/archivist/", views.archivist_set, name="archivist_set"),
    path("workrooms/<int:workroom_pk>/upload/", views.archive_upload_view, name="archive_upload"),
    path("entries/<int:pk>/file/", views.archive_entry_file, name="archive_entry_file"),
    path("entries/<int:pk>/delete/", views.archive_entry_delete_view, name="archive_entry_delete"),
]
