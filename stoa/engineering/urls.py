from django.urls import path

from stoa.engineering import views

app_name = "engineering"
urlpatterns = [
    path("scenario/<uuid:pk>/blast/", views.scenario_blast, name="blast"),
    path("site/<uuid:pk>/crowd/", views.site_crowd, name="crowd"),
]
