from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("workrooms/", include("workrooms.urls")),
    path("people/", include("members.urls")),
    path("assessment/", include("assessment.urls")),
    path("archives/", include("archives.urls")),
    path("showcase/", include("workrooms.showcase_urls")),  # public: no login
    path("admin/", admin.site.urls),
]
