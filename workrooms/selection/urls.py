"""URLs of the two-way selection, under /people/ (config.urls mounts them at the root)."""

from django.urls import path

from workrooms.selection import views

app_name = "selection"

urlpatterns = [
    path("people/mine/", views.my_workrooms, name="my_workrooms"),
    path("people/workrooms/<int:workroom_pk>/join/", views.join_request_create, name="join_request_create"),
    path("people/workrooms/<int:workroom_pk>/members/", views.workroom_members, name="workroom_members"),
    path("people/join-requests/<int:pk>/<str:action>/", views.join_request_transition, name="join_request_transition"),
    path("people/memberships/<int:pk>/agreement/", views.agreement, name="agreement"),
    path("people/memberships/<int:pk>/withdraw/", views.withdrawal_create, name="withdrawal_create"),
    path("people/memberships/<int:pk>/remove/", views.removal_create, name="removal_create"),
    path("people/agreements/", views.agreement_list, name="agreement_list"),
    path("people/changes/", views.change_list, name="change_list"),
    path("people/changes/<int:pk>/", views.change_detail, name="change_detail"),
    path("people/changes/<int:pk>/<str:action>/", views.change_transition, name="change_transition"),
]
