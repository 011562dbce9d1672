"""URLs of 导师制, under /people/."""

from django.urls import path

from workrooms.mentoring import views

app_name = "mentoring"

urlpatterns = [
    path("people/workrooms/<int:pk>/mentoring/", views.workroom_mentoring, name="workroom_mentoring"),
    path("people/workrooms/<int:pk>/mentoring/new/", views.mentor_pair_new, name="mentor_pair_new"),
    path("people/mentoring/", views.my_mentoring, name="my_mentoring"),
    path("people/mentoring/<int:pk>/", views.mentor_pair, name="mentor_pair"),
    path("people/mentoring/<int:pk>/guidance/", views.guidance_new, name="guidance_new"),
    path("people/mentoring/<int:pk>/comment/", views.mentor_comment, name="mentor_comment"),
    path("people/mentoring/<int:pk>/end/", views.mentor_pair_end, name="mentor_pair_end"),
]
