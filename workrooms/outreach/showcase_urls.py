"""Public URLs (no login): a workroom's public page, its Atom feed and its public photos."""

from django.urls import path

from workrooms.outreach.feeds import ShowcaseFeed
from workrooms.outreach.showcase_views import public_page, public_photo

app_name = "showcase"
urlpatterns = [
    path("<int:pk>/", public_page, name="page"),
    path("<int:pk>/feed/", ShowcaseFeed(), name="feed"),
    path("<int:pk>/photos/<int:photo_pk>/", public_photo, name="photo"),
]
