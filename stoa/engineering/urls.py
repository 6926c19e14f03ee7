from django.urls import path

from stoa.engineering import network_views, vehicle_views, views

app_name = "engineering"
urlpatterns = [
    path("scenario/<uuid:pk>/blast/", views.scenario_blast, name="blast"),
    path("scenario/<uuid:pk>/vehicle/", vehicle_views.scenario_vehicle, name="vehicle"),
    path("site/<uuid:pk>/crowd/", views.site_crowd, name="crowd"),
    path("networks/", network_views.networks, name="networks"),
    path("networks/<uuid:pk>/delete/", network_views.network_delete, name="network-delete"),
]
