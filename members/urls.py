from django.urls import path

from . import views

app_name = "members"
urlpatterns: list = []


# --- Records: reading, writings, research projects, achievements, growth handbook (DOMAIN.md §5, §7) ---
from . import record_views  # noqa: E402

urlpatterns += [
    path("records/reading/", record_views.reading_list, name="reading_list"),
    path("records/reading/new/", record_views.reading_create, name="reading_create"),
    path("records/reading/<int:pk>/", record_views.reading_detail, name="reading_detail"),
    path("records/reading/<int:pk>/edit/", record_views.reading_edit, name="reading_edit"),
    path("records/reading/<int:pk>/review/", record_views.reading_review, name="reading_review"),
    path("records/writings/", record_views.writing_list, name="writing_list"),
    path("records/writings/new/", record_views.writing_create, name="writing_create"),
    path("records/writings/<int:pk>/", record_views.writing_detail, name="writing_detail"),
    path("records/writings/<int:pk>/edit/", record_views.writing_edit, name="writing_edit"),
    path("records/writings/<int:pk>/review/", record_views.writing_review, name="writing_review"),
    path("records/writings/<int:pk>/file/", record_views.writing_file, name="writing_file"),
    path("records/research/", record_views.project_list, name="project_list"),
    path("records/research/new/", record_views.project_create, name="project_create"),
    path("records/research/<int:pk>/", record_views.project_detail, name="project_detail"),
    path("records/research/<int:pk>/edit/", record_views.project_edit, name="project_edit"),
    path("records/research/<int:pk>/documents/", record_views.stage_document_add, name="stage_document_add"),
    path("records/research/<int:pk>/close-stage/", record_views.project_close_stage, name="project_close_stage"),
    path("records/research/documents/<int:pk>/", record_views.stage_document_file, name="stage_document_file"),
    path("records/achievements/", record_views.achievement_list, name="achievement_list"),
    path("records/achievements/new/", record_views.achievement_create, name="achievement_create"),
    path("records/achievements/<int:pk>/", record_views.achievement_detail, name="achievement_detail"),
    path("records/achievements/<int:pk>/edit/", record_views.achievement_edit, name="achievement_edit"),
    path("records/achievements/<int:pk>/verify/", record_views.achievement_verify, name="achievement_verify"),
    path("records/achievements/<int:pk>/evidence/", record_views.achievement_evidence, name="achievement_evidence"),
    path("records/handbook/", record_views.handbook, name="handbook"),
    path("records/handbook/<int:pk>/", record_views.handbook, name="member_handbook"),
]
