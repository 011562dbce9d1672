from django.urls import path

from . import views

app_name = "archives"
urlpatterns: list = []


# --- Workroom archives (DOMAIN.md §8) ---
from . import archive_views  # noqa: E402

urlpatterns += [
    path("", archive_views.archive_index, name="archive_index"),
    path("workrooms/<int:workroom_pk>/", archive_views.archive_list, name="archive_list"),
    path("workrooms/<int:workroom_pk>/archivist/", archive_views.archivist_set, name="archivist_set"),
    path("workrooms/<int:workroom_pk>/upload/", archive_views.archive_upload_view, name="archive_upload"),
    path("entries/<int:pk>/file/", archive_views.archive_entry_file, name="archive_entry_file"),
    path("entries/<int:pk>/delete/", archive_views.archive_entry_delete_view, name="archive_entry_delete"),
]
