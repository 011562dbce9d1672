from django.urls import path

from archives import views

app_name = "archives"
urlpatterns = [
    # A workroom archive's zip (DOMAIN.md §8)
    path("workrooms/<int:workroom_pk>/bundle/", views.archive_bundle, name="archive_bundle"),
    # Documents: jobs, certificates, exports and reports (DOMAIN.md §10)
    path("documents/", views.index, name="index"),
    path("jobs/", views.job_list, name="job_list"),
    path("jobs/<int:pk>/", views.job_detail, name="job_detail"),
    path("jobs/<int:pk>/status/", views.job_status, name="job_status"),
    path("jobs/<int:pk>/download/", views.job_download, name="job_download"),
    path("jobs/<int:pk>/retry/", views.job_retry, name="job_retry"),
    path("certificates/", views.certificate_list, name="certificate_list"),
    path("certificates/issue/", views.certificate_issue, name="certificate_issue"),
    path("certificates/<int:pk>/", views.certificate_detail, name="certificate_detail"),
    path("certificates/<int:pk>/download/", views.certificate_download, name="certificate_download"),
    path("certificates/<int:pk>/revoke/", views.certificate_revoke, name="certificate_revoke"),
    path("certificates/<int:pk>/reissue/", views.certificate_reissue, name="certificate_reissue"),
    # 继续教育学分台账 and its spreadsheet for the continuing-education platform (DOMAIN.md §10)
    path("credits/", views.credit_list, name="credit_list"),
    path("export/credits/", views.download, {"kind": "credits"}, name="export_credits"),
    path("verify/", views.verify, name="verify_form"),
    # The serial alone finds nothing: serials are sequential (see Certificate.check_code).
    path("verify/<str:serial>/", views.verify, name="verify_serial_only"),
    path("verify/<str:serial>/<str:code>/", views.verify, name="verify"),
    path("workrooms/<int:pk>/documents/", views.workroom_documents, name="workroom_documents"),
    path("workrooms/<int:pk>/report/", views.workroom_report, name="workroom_report"),
    path("people/<int:pk>/handbook/", views.handbook, name="handbook"),
    path("results/<int:pk>/notice/", views.assessment_notice, name="assessment_notice"),
    # Forms to print, sign and file, rendered in the request
    path("applications/<int:pk>/form.pdf", views.application_form, name="application_form"),
    path("memberships/<int:pk>/agreement.pdf", views.agreement_form, name="agreement_form"),
    path("activities/<int:pk>/sign-in-sheet.pdf", views.sign_in_sheet, name="sign_in_sheet"),
    path("notices/<int:pk>/list.pdf", views.notice_sheet, name="notice_sheet"),
    path("periods/<int:pk>/notice.pdf", views.period_notice_sheet, name="period_notice_sheet"),
    # Spreadsheets of list pages: one view, the kinds in exports.EXPORT_KINDS (DOMAIN.md §10)
    path("export/workrooms/", views.download, {"kind": "workrooms"}, name="export_workrooms"),
    path("workrooms/<int:pk>/roster.xlsx", views.download, {"kind": "roster"}, name="export_roster"),
    path("workrooms/<int:pk>/funding.xlsx", views.download, {"kind": "funding"}, name="export_funding"),
    path("workrooms/<int:pk>/activities.xlsx", views.download, {"kind": "activities"}, name="export_activities"),
    path(
        "workrooms/<int:pk>/training-hours.xlsx", views.download, {"kind": "training_hours"}, name="export_training_hours"
    ),
    path("periods/<int:pk>/assessment.xlsx", views.download, {"kind": "assessment"}, name="export_assessment"),
    path(
        "export/member-assessments/", views.download, {"kind": "member_assessments"}, name="export_member_assessments"
    ),
    path(
        "export/annual-member-assessments/", views.download, {"kind": "annual_member_assessments"},
        name="export_annual_member_assessments",
    ),
    path("export/teachers/", views.download, {"kind": "teachers"}, name="export_teachers"),
    path("export/applications/", views.download, {"kind": "applications"}, name="export_applications"),
    path("export/duty-overview/", views.download, {"kind": "duty_overview"}, name="export_duty_overview"),
    path("export/evaluations/", views.download, {"kind": "evaluations"}, name="export_evaluations"),
    path("export/certificates/", views.download, {"kind": "certificates"}, name="export_certificates"),
    path("export/achievements/", views.download, {"kind": "achievements"}, name="export_achievements"),
    path("export/vetoes/", views.download, {"kind": "vetoes"}, name="export_vetoes"),
    path("export/bonus-awards/", views.download, {"kind": "bonus_awards"}, name="export_bonus_awards"),
    path("export/outstanding-members/", views.download, {"kind": "outstanding"}, name="export_outstanding"),
    path("export/class-titles/", views.download, {"kind": "class_titles"}, name="export_class_titles"),
    path("workrooms/<int:pk>/outreach.xlsx", views.download, {"kind": "outreach"}, name="export_outreach"),
]
