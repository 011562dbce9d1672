from django.urls import path

from assessment import views
from assessment.rollover import views as rollover_views

app_name = "assessment"
urlpatterns = [
    path("", views.period_list, name="period_list"),
    path("periods/new/", views.period_create, name="period_create"),
    path("periods/<int:pk>/", views.period_detail, name="period_detail"),
    path("periods/<int:pk>/compute/", views.period_compute, name="period_compute"),
    path("periods/<int:pk>/do/<slug:action>/", views.period_transition, name="period_transition"),
    path("periods/<int:pk>/grid/<int:department_pk>/", views.grid, name="grid"),
    path("periods/<int:pk>/grid/<int:department_pk>/weeks/", views.grid_weeks, name="grid_weeks"),
    path("periods/<int:pk>/covers/new/", views.cover_create, name="cover_create"),
    path("periods/<int:pk>/objections/", views.objection_create, name="objection_create"),
    path("objections/<int:pk>/answer/", views.objection_answer, name="objection_answer"),
    path("mine/", views.my_results, name="my_results"),
    path("results/<int:pk>/", views.result_detail, name="result_detail"),
    path("vetoes/", views.veto_list, name="veto_list"),
    path("vetoes/new/", views.veto_create, name="veto_create"),
    path("vetoes/<int:pk>/confirm/", views.veto_confirm, name="veto_confirm"),
    path("vetoes/<int:pk>/evidence/", views.veto_evidence, name="veto_evidence"),
    path("awards/", views.award_list, name="award_list"),
    path("awards/new/", views.award_create, name="award_create"),
    path("conditions/", views.conditions_edit, name="conditions_edit"),
    path("rollover/", rollover_views.rollover, name="rollover"),
]
urlpatterns += [
    path("members/", views.member_list, name="member_list"),
    path("members/<int:pk>/", views.member_assess, name="member_assess"),
    path("evaluations/", views.evaluation_list, name="evaluation_list"),
    path("evaluations/new/", views.evaluation_create, name="evaluation_create"),
    path("evaluations/<int:pk>/", views.evaluation_detail, name="evaluation_detail"),
    path("evaluations/<int:pk>/conclude/", views.evaluation_conclude, name="evaluation_conclude"),
    path("evaluations/<int:pk>/report/", views.evaluation_report_upload, name="evaluation_report_upload"),
    path("evaluations/reports/<int:pk>/file/", views.evaluation_report_file, name="evaluation_report_file"),
]

# --- honours: 优秀工作室成员, 优秀班级/窗口班级, 荣誉一票否决 ---
from assessment.honours import views as honour_views  # noqa: E402

urlpatterns += [
    path("outstanding/", honour_views.outstanding_list, name="outstanding_list"),
    path("outstanding/recommended/", honour_views.recommended_hosts, name="recommended_hosts"),
    path("member-assessments/<int:pk>/outstanding/", honour_views.outstanding_name, name="outstanding_name"),
    path("outstanding/<int:pk>/withdraw/", honour_views.outstanding_withdraw, name="outstanding_withdraw"),
    path("class-titles/", honour_views.class_title_list, name="class_title_list"),
    path("class-titles/new/", honour_views.class_title_create, name="class_title_create"),
    path("class-titles/<int:pk>/withdraw/", honour_views.class_title_withdraw, name="class_title_withdraw"),
    path("evaluations/<int:pk>/veto/", honour_views.evaluation_veto, name="evaluation_veto"),
    path("teachers/<int:pk>/ethics-veto/", honour_views.ethics_veto, name="ethics_veto"),
]

# --- 成员年度考核 (DOMAIN.md §9.4, §11) ---
from assessment.annual import views as annual_views  # noqa: E402

urlpatterns += [
    path("members/annual/", annual_views.annual_list, name="annual_list"),
    path("members/annual/publish/", annual_views.annual_publish, name="annual_publish"),
    path("members/<int:pk>/annual/", annual_views.annual_assess, name="annual_assess"),
]

# --- 公示栏 (DOMAIN.md §12) ---
from assessment.notices import views as notice_views  # noqa: E402

urlpatterns += [
    path("notices/", notice_views.notice_list, name="notice_list"),
    path("notices/publish/", notice_views.notice_publish, name="notice_publish"),
    path("notices/<int:pk>/", notice_views.notice_detail, name="notice_detail"),
    path("notices/<int:pk>/objections/", notice_views.notice_objection_create, name="notice_objection_create"),
    path("notices/objections/<int:pk>/answer/", notice_views.notice_objection_answer, name="notice_objection_answer"),
    path("notices/<int:pk>/do/<slug:action>/", notice_views.notice_action, name="notice_action"),
]
