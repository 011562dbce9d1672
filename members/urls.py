from django.urls import path

from . import views

app_name = "members"
urlpatterns: list = []

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
