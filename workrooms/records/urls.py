"""URLs of members' records and the growth handbook, under /people/records/."""

from django.urls import path

from workrooms.records import views

app_name = "records"

urlpatterns = [
    path("people/records/reading/", views.reading_list, name="reading_list"),
    path("people/records/reading/new/", views.reading_create, name="reading_create"),
    path("people/records/reading/<int:pk>/", views.reading_detail, name="reading_detail"),
    path("people/records/reading/<int:pk>/edit/", views.reading_edit, name="reading_edit"),
    path("people/records/reading/<int:pk>/review/", views.reading_review, name="reading_review"),
    path("people/records/writings/", views.writing_list, name="writing_list"),
    path("people/records/writings/new/", views.writing_create, name="writing_create"),
    path("people/records/writings/<int:pk>/", views.writing_detail, name="writing_detail"),
    path("people/records/writings/<int:pk>/edit/", views.writing_edit, name="writing_edit"),
    path("people/records/writings/<int:pk>/review/", views.writing_review, name="writing_review"),
    path("people/records/writings/<int:pk>/file/", views.writing_file, name="writing_file"),
    path("people/records/writings/<int:pk>/publish/", views.writing_publish, name="writing_publish"),
    path("people/records/research/", views.project_list, name="project_list"),
    path("people/records/research/new/", views.project_create, name="project_create"),
    path("people/records/research/<int:pk>/", views.project_detail, name="project_detail"),
    path("people/records/research/<int:pk>/edit/", views.project_edit, name="project_edit"),
    path("people/records/research/<int:pk>/documents/", views.stage_document_add, name="stage_document_add"),
    path("people/records/research/<int:pk>/close-stage/", views.project_close_stage, name="project_close_stage"),
    path("people/records/research/documents/<int:pk>/", views.stage_document_file, name="stage_document_file"),
    path("people/records/achievements/", views.achievement_list, name="achievement_list"),
    path("people/records/achievements/new/", views.achievement_create, name="achievement_create"),
    path("people/records/achievements/<int:pk>/", views.achievement_detail, name="achievement_detail"),
    path("people/records/achievements/<int:pk>/edit/", views.achievement_edit, name="achievement_edit"),
    path("people/records/achievements/<int:pk>/verify/", views.achievement_verify, name="achievement_verify"),
    path("people/records/achievements/<int:pk>/evidence/", views.achievement_evidence, name="achievement_evidence"),
    path("people/records/achievements/<int:pk>/publish/", views.achievement_publish, name="achievement_publish"),
    path("people/records/handbook/", views.handbook, name="handbook"),
    path("people/records/handbook/<int:pk>/", views.handbook, name="member_handbook"),
]
