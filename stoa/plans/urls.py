from django.urls import path

from stoa.plans import optimiser_views, roadmap_views

app_name = "plans"
urlpatterns = [
    path("roadmap/", roadmap_views.roadmap, name="roadmap"),
    path("optimise/", optimiser_views.optimise, name="optimise"),
    path("optimise/<uuid:pk>/", optimiser_views.optimisation, name="optimisation"),
    path("optimise/<uuid:pk>/plans/", optimiser_views.optimisation_to_plans, name="optimisation-to-plans"),
]
