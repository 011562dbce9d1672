from django.urls import path

from workrooms import views
from workrooms.activities import views as activity_views
from workrooms.hosts import views as host_views
from workrooms.outreach import views as outreach_views
from workrooms.robots import views as robot_views

app_name = "workrooms"
urlpatterns = [
    path("", views.workroom_list, name="list"),
    path("<int:pk>/", views.workroom_detail, name="detail"),
    path("<int:pk>/transition/<slug:action>/", views.workroom_transition, name="transition"),
    path("<int:pk>/hosts/", host_views.hosts, name="hosts"),
    path("<int:pk>/hosts/add/", host_views.cohost_add, name="cohost_add"),
    path("<int:pk>/hosts/change/", host_views.host_change, name="host_change"),
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
    path("settings/compare/", views.settings_compare, name="settings_compare"),
]

# --- activities, sign-in, funding, duties ---
urlpatterns += [
    path("<int:pk>/activities/", activity_views.activity_list, name="activity_list"),
    path("<int:pk>/activities/new/", activity_views.activity_create, name="activity_create"),
    path("activities/<int:pk>/", activity_views.activity_detail, name="activity_detail"),
    path("activities/<int:pk>/edit/", activity_views.activity_update, name="activity_update"),
    path("activities/<int:pk>/files/", activity_views.activity_file_upload, name="activity_file_upload"),
    path("activities/files/<int:pk>/", activity_views.activity_file_download, name="activity_file"),
    path("activities/files/<int:pk>/publish/", activity_views.activity_photo_publish, name="activity_photo_publish"),
    path("activities/<int:pk>/attendance/", activity_views.attendance_sheet, name="attendance_sheet"),
    path("activities/<int:pk>/code/", activity_views.signin_code_start, name="signin_code_start"),
    path("activities/<int:pk>/signin/", activity_views.signin, name="signin"),
    path("<int:pk>/funding/", activity_views.ledger, name="ledger"),
    path("<int:pk>/funding/new/", activity_views.expense_create, name="expense_create"),
    path("expenses/<int:pk>/decide/<str:action>/", activity_views.expense_decide, name="expense_decide"),
    path("expenses/<int:pk>/receipt/", activity_views.expense_receipt, name="expense_receipt"),
    path("<int:pk>/duties/", activity_views.duty_progress, name="duty_progress"),
    path("<int:pk>/duties/members/<int:teacher_pk>/", activity_views.member_progress, name="member_progress"),
    path("duties/mine/", activity_views.my_progress, name="my_progress"),
    path("duties/overview/", activity_views.duty_overview, name="duty_overview"),
    path("<int:pk>/observations/", activity_views.observation_list, name="observations"),
    path("<int:pk>/observations/new/", activity_views.observation_edit, name="observation_new"),
    path("observations/<int:record_pk>/edit/", activity_views.observation_edit, name="observation_edit"),
    path("observations/<int:record_pk>/delete/", activity_views.observation_delete, name="observation_delete"),
    path("<int:pk>/dashboard/", activity_views.dashboard, name="dashboard"),
]

# --- public page settings, visitor messages, outreach -----

urlpatterns += [
    path("<int:pk>/showcase/", outreach_views.showcase_settings, name="showcase_settings"),
    path("<int:pk>/messages/", outreach_views.message_list, name="messages"),
    path("messages/<int:pk>/<str:decision>/", outreach_views.message_decide, name="message_decide"),
    path("<int:pk>/outreach/", outreach_views.outreach_list, name="outreach"),
    path("<int:pk>/outreach/new/", outreach_views.outreach_edit, name="outreach_new"),
    path("outreach/<int:record_pk>/edit/", outreach_views.outreach_edit, name="outreach_edit"),
    path("outreach/<int:record_pk>/delete/", outreach_views.outreach_delete, name="outreach_delete"),
]

# --- group robots (企业微信, 钉钉) of a workroom or a department -----

urlpatterns += [
    path("robots/", robot_views.robot_index, name="robot_index"),
    path("robots/<str:kind>/<int:pk>/", robot_views.robot_list, name="robots"),
    path("robots/<str:kind>/<int:pk>/new/", robot_views.robot_create, name="robot_create"),
    path("robots/<int:pk>/edit/", robot_views.robot_edit, name="robot_edit"),
    path("robots/<int:pk>/test/", robot_views.robot_test, name="robot_test"),
    path("robots/<int:pk>/delete/", robot_views.robot_delete, name="robot_delete"),
]
