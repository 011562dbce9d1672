"""URLs of plans: the workroom's plans on record (/workrooms/plans/) and each member's (/people/)."""

from django.urls import path

from workrooms.plans import views

app_name = "plans"

urlpatterns = [
    path("workrooms/plans/", views.plan_list, name="plans"),
    path("workrooms/<int:pk>/plans/", views.workroom_plans, name="workroom_plans"),
    path("workrooms/<int:pk>/plans/submit/", views.plan_submit, name="plan_submit"),
    path("workrooms/plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("workrooms/plans/<int:pk>/v<int:number>/", views.plan_detail, name="plan_version"),
    path("workrooms/plans/<int:pk>/v<int:number>/file/", views.plan_version_file, name="plan_version_file"),
    path("workrooms/plans/<int:pk>/publish/", views.plan_publish, name="plan_publish"),
    path("workrooms/plans/<int:pk>/<str:action>/", views.plan_transition, name="plan_transition"),
    path("people/development-plans/", views.development_plans, name="development_plans"),
    path("people/development-plans/new/", views.development_plan_new, name="development_plan_new"),
    path("people/development-plans/<int:pk>/", views.development_plan, name="development_plan"),
    path("people/development-plans/<int:pk>/edit/", views.development_plan_edit, name="development_plan_edit"),
    path("people/semester-records/", views.semester_records, name="semester_records"),
    path("people/semester-records/new/", views.semester_record_new, name="semester_record_new"),
    path("people/semester-records/<int:pk>/", views.semester_record, name="semester_record"),
    path("people/semester-records/<int:pk>/edit/", views.semester_record_edit, name="semester_record_edit"),
]
