from django.urls import path

from . import views

app_name = "workrooms"
urlpatterns: list = []

# --- Plans on record, public page settings, visitor messages, outreach -----

from . import outreach_views  # noqa: E402

urlpatterns += [
    path("plans/", outreach_views.plan_list, name="plans"),
    path("<int:pk>/plans/", outreach_views.workroom_plans, name="workroom_plans"),
    path("<int:pk>/plans/submit/", outreach_views.plan_submit, name="plan_submit"),
    path("plans/<int:pk>/", outreach_views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/v<int:number>/", outreach_views.plan_detail, name="plan_version"),
    path("plans/<int:pk>/v<int:number>/file/", outreach_views.plan_version_file, name="plan_version_file"),
    path("plans/<int:pk>/publish/", outreach_views.plan_publish, name="plan_publish"),
    path("plans/<int:pk>/<str:action>/", outreach_views.plan_transition, name="plan_transition"),
    path("<int:pk>/showcase/", outreach_views.showcase_settings, name="showcase_settings"),
    path("<int:pk>/messages/", outreach_views.message_list, name="messages"),
    path("messages/<int:pk>/<str:decision>/", outreach_views.message_decide, name="message_decide"),
    path("<int:pk>/outreach/", outreach_views.outreach_list, name="outreach"),
    path("<int:pk>/outreach/new/", outreach_views.outreach_edit, name="outreach_new"),
    path("outreach/<int:record_pk>/edit/", outreach_views.outreach_edit, name="outreach_edit"),
    path("outreach/<int:record_pk>/delete/", outreach_views.outreach_delete, name="outreach_delete"),
]
