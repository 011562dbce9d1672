from django.urls import path

from . import views

app_name = "members"
urlpatterns: list = []

# --- 导入教师名册 (roster import) ---------------------------------------------
from . import roster_views  # noqa: E402

urlpatterns += [
    path("roster/", roster_views.roster_upload, name="roster_upload"),
    path("roster/template.xlsx", roster_views.roster_template, name="roster_template"),
    path("roster/<int:pk>/", roster_views.roster_preview, name="roster_preview"),
    path("roster/<int:pk>/confirm/", roster_views.roster_confirm, name="roster_confirm"),
    path("roster/<int:pk>/errors.xlsx", roster_views.roster_errors, name="roster_errors"),
]
