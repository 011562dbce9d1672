from django.urls import path

from members import views
from members.accounts import views as account_views
from members.profile import views as profile_views
from members.roster import views as roster_views
from members.schoolyear import views as schoolyear_views

app_name = "members"

urlpatterns = [
    path("teachers/", views.teacher_list, name="teacher_list"),
    path("teachers/<int:pk>/", views.teacher_detail, name="teacher_detail"),
    path("teachers/<int:pk>/password-code/", account_views.teacher_password_code, name="teacher_password_code"),
    path("profile/", profile_views.item_list, name="profile_items"),
    path("profile/new/", profile_views.item_create, name="profile_item_create"),
    path("profile/<int:pk>/", profile_views.item_detail, name="profile_item_detail"),
    path("profile/<int:pk>/edit/", profile_views.item_edit, name="profile_item_edit"),
    path("profile/<int:pk>/verify/", profile_views.item_verify, name="profile_item_verify"),
    path("profile/<int:pk>/evidence/", profile_views.item_evidence, name="profile_item_evidence"),
    path("roster/", roster_views.roster_upload, name="roster_upload"),
    path("roster/template.xlsx", roster_views.roster_template, name="roster_template"),
    path("roster/<int:pk>/", roster_views.roster_preview, name="roster_preview"),
    path("roster/<int:pk>/status/", roster_views.roster_status, name="roster_status"),
    path("roster/<int:pk>/confirm/", roster_views.roster_confirm, name="roster_confirm"),
    path("roster/<int:pk>/errors.xlsx", roster_views.roster_errors, name="roster_errors"),
    path("calendar/", schoolyear_views.calendar_list, name="calendar_list"),
    path("calendar/<int:school_pk>/<int:year>/", schoolyear_views.calendar_edit, name="calendar_edit"),
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/<int:pk>/read/", views.notification_read, name="notification_read"),
    path("notifications/read-all/", views.notifications_read_all, name="notifications_read_all"),
    path("notifications/preferences/", views.notification_preferences, name="notification_preferences"),
    path("calendar-feed/", views.calendar_feed_page, name="calendar_feed_page"),
    path("calendar-feed/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
]
