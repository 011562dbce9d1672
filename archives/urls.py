from django.urls import path

from . import archive_views, views

app_name = "archives"
urlpatterns = [
    # Workroom archives (DOMAIN.md §8)
    path("", archive_views.archive_index, name="archive_index"),
    path("workrooms/<int:workroom_pk>/", archive_views.archive_list, name="archive_list"),
    path("workrooms/<int:workroom_pk>/archivist/", archive_views.archivist_set, name="archivist_set"),
    path("workrooms/<int:workroom_pk>/upload/", archive_views.archive_upload_view, name="archive_upload"),
    path("entries/<int:pk>/file/", archive_views.archive_entry_file, name="archive_entry_file"),
    path("entries/<int:pk>/delete/", archive_views.archive_entry_delete_view, name="archive_entry_delete"),
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
    path("verify/", views.verify, name="verify_form"),
    path("verify/<str:serial>/", views.verify, name="verify"),
    path("export/workrooms/", views.export_workrooms, name="export_workrooms"),
    path("workrooms/<int:pk>/documents/", views.workroom_documents, name="workroom_documents"),
    path("workrooms/<int:pk>/roster.xlsx", views.export_roster, name="export_roster"),
    path("workrooms/<int:pk>/report/", views.workroom_report, name="workroom_report"),
    path("people/<int:pk>/handbook/", views.handbook, name="handbook"),
]
