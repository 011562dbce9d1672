from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from config import views
from config.login import LoginForm

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True, authentication_form=LoginForm), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("people/", include("members.urls")),
    path("workrooms/", include("workrooms.urls")),
    # The workroom's features keep the addresses they always had: the
    # selection, records and mentoring under /people/, the archive under
    # /archives/, plans under both (their URL modules carry the prefixes).
    path("", include("workrooms.selection.urls")),
    path("", include("workrooms.records.urls")),
    path("", include("workrooms.mentoring.urls")),
    path("", include("workrooms.plans.urls")),
    path("archives/", include("workrooms.archive.urls")),
    path("showcase/", include("workrooms.outreach.showcase_urls")),  # public: no login
    path("assessment/", include("assessment.urls")),
    path("archives/", include("archives.urls")),
    path("admin/", admin.site.urls),
]

handler400 = views.bad_request
