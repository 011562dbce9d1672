from django.urls import path

from . import views

app_name = "workrooms"
urlpatterns = [
    path("", views.workroom_list, name="list"),
    path("<int:pk>/", views.workroom_detail, name="detail"),
    path("<int:pk>/transition/<slug:action>/", views.workroom_transition, name="transition"),
    path("applications/", views.application_list, name="application_list"),
    path("applications/new/", views.application_create, name="application_create"),
    path("applications/<int:pk>/", views.application_detail, name="application_detail"),
    path("applications/<int:pk>/edit/", views.application_edit, name="application_edit"),
    path(
        "applications/<int:pk>/transition/<slug:action>/", views.application_transition, name="application_transition"
    ),
    path(
        "applications/<int:pk>/attachments/<int:attachment_pk>/",
        views.attachment_download,
        name="attachment_download",
    ),
    path("applications/<int:pk>/objections/new/", views.objection_create, name="objection_create"),
    path(
        "applications/<int:pk>/objections/<int:objection_pk>/answer/",
        views.objection_answer,
        name="objection_answer",
    ),
    path("applications/<int:pk>/review/", views.expert_review_create, name="expert_review"),
    path("settings/", views.settings_edit, name="settings"),
    path("settings/versions/", views.settings_versions, name="settings_versions"),
]
