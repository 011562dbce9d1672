from django.urls import path

from . import views

app_name = "workrooms"
urlpatterns: list = []
