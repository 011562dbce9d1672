"""Public URLs (no login): a workroom's public page and its Atom feed."""

from django.urls import path

from .feeds import ShowcaseFeed
from .showcase_views import public_page

app_name = "showcase"
urlpatterns = [
    path("<int:pk>/", public_page, name="page"),
    path("<int:pk>/feed/", ShowcaseFeed(), name="feed"),
]
