from django.urls import path

from stoa.web import views

urlpatterns = [
    path("", views.home, name="home"),
]
