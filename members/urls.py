from django.urls import path

from . import roster_views, views

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
]
