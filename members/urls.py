from django.urls import path

from . import record_views, roster_views, views

app_name = "members"
urlpatterns = [
    path("teachers/", views.teacher_list, name="teacher_list"),
    path("teachers/<int:pk>/", views.teacher_detail, name="teacher_detail"),
    path("mine/", views.my_workrooms, name="my_workrooms"),
    path("workrooms/<int:workroom_pk>/join/", views.join_request_create, name="join_request_create"),
    path("workrooms/<int:workroom_pk>/members/", views.workroom_members, name="workroom_members"),
    path(
        "join-requests/<int:pk>/<str:action>/",
        views.join_request_transition,
        name="join_request_transition",
    ),
    path("memberships/<int:pk>/agreement/", views.agreement, name="agreement"),
    path("memberships/<int:pk>/withdraw/", views.withdrawal_create, name="withdrawal_create"),
    path("memberships/<int:pk>/remove/", views.removal_create, name="removal_create"),
    path("agreements/", views.agreement_list, name="agreement_list"),
    path("changes/", views.change_list, name="change_list"),
    path("changes/<int:pk>/", views.change_detail, name="change_detail"),
    path("changes/<int:pk>/<str:action>/", views.change_transition, name="change_transition"),
    # 导入教师名册 (roster import)
    path("roster/", roster_views.roster_upload, name="roster_upload"),
    path("roster/template.xlsx", roster_views.roster_template, name="roster_template"),
    path("roster/<int:pk>/", roster_views.roster_preview, name="roster_preview"),
    path("roster/<int:pk>/confirm/", roster_views.roster_confirm, name="roster_confirm"),
    path("roster/<int:pk>/errors.xlsx", roster_views.roster_errors, name="roster_errors"),
    # Records: reading, writings, research projects, achievements, growth handbook (DOMAIN.md §5, §7)
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
    path("records/writings/<int:pk>/publish/", record_views.writing_publish, name="writing_publish"),
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
    path("records/achievements/<int:pk>/publish/", record_views.achievement_publish, name="achievement_publish"),
    path("records/handbook/", record_views.handbook, name="handbook"),
    path("records/handbook/<int:pk>/", record_views.handbook, name="member_handbook"),
]

# --- Member plans, mentoring, notifications ---------------------------------

from . import outreach_views  # noqa: E402

urlpatterns += [
    path("development-plans/", outreach_views.development_plans, name="development_plans"),
    path("development-plans/new/", outreach_views.development_plan_new, name="development_plan_new"),
    path("development-plans/<int:pk>/", outreach_views.development_plan, name="development_plan"),
    path("development-plans/<int:pk>/edit/", outreach_views.development_plan_edit, name="development_plan_edit"),
    path("semester-records/", outreach_views.semester_records, name="semester_records"),
    path("semester-records/new/", outreach_views.semester_record_new, name="semester_record_new"),
    path("semester-records/<int:pk>/", outreach_views.semester_record, name="semester_record"),
    path("semester-records/<int:pk>/edit/", outreach_views.semester_record_edit, name="semester_record_edit"),
    path("workrooms/<int:pk>/mentoring/", outreach_views.workroom_mentoring, name="workroom_mentoring"),
    path("workrooms/<int:pk>/mentoring/new/", outreach_views.mentor_pair_new, name="mentor_pair_new"),
    path("mentoring/", outreach_views.my_mentoring, name="my_mentoring"),
    path("mentoring/<int:pk>/", outreach_views.mentor_pair, name="mentor_pair"),
    path("mentoring/<int:pk>/guidance/", outreach_views.guidance_new, name="guidance_new"),
    path("mentoring/<int:pk>/comment/", outreach_views.mentor_comment, name="mentor_comment"),
    path("mentoring/<int:pk>/end/", outreach_views.mentor_pair_end, name="mentor_pair_end"),
    path("notifications/", outreach_views.notification_list, name="notifications"),
    path("notifications/<int:pk>/read/", outreach_views.notification_read, name="notification_read"),
    path("notifications/read-all/", outreach_views.notifications_read_all, name="notifications_read_all"),
    path("notifications/preferences/", outreach_views.notification_preferences, name="notification_preferences"),
]
