from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from config import views
from config.login import LoginView
from members.accounts import sso
from members.accounts import views as account_views

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("accounts/login/", LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", account_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("accounts/password/reset/", account_views.PasswordResetView.as_view(), name="password_reset"),
    path("accounts/password/reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("accounts/password/reset/<uidb64>/<token>/", account_views.PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("accounts/password/reset/done/", auth_views.PasswordResetCompleteView.as_view(),
         name="password_reset_complete"),
    path("accounts/code/", account_views.password_code_use, name="password_code_use"),
    path("accounts/code/<str:code>/", account_views.password_code_use, name="password_code_use_link"),
    path("accounts/oidc/login/", sso.OIDCLoginView.as_view(), name="oidc_authentication_init"),
    path("accounts/oidc/callback/", sso.OIDCCallbackView.as_view(), name="oidc_authentication_callback"),
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
