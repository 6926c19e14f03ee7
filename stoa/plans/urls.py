"""Action-plan pages: the city-wide overview, one plan per public space and its items, the budget
optimisation and the guided road map."""

from django.urls import path

from stoa.plans import optimiser_views, roadmap_views
from stoa.plans.views import items, plans

app_name = "plans"
urlpatterns = [
    path("", plans.overview, name="overview"),
    path("new/", plans.plan_create, name="create"),
    path("<uuid:pk>/", plans.plan_page, name="detail"),
    path("<uuid:pk>/edit/", plans.plan_edit, name="edit"),
    path("<uuid:pk>/delete/", plans.plan_delete, name="delete"),
    path("<uuid:pk>/review/", plans.plan_review, name="review"),
    path("<uuid:pk>/items/new/", items.item_add, name="item-add"),
    path("<uuid:pk>/items/from-whatif/", items.from_whatif, name="from-whatif"),
    path("<uuid:pk>/items/from-decision/", items.from_decision, name="from-decision"),
    path("item/<uuid:pk>/", items.item_edit, name="item-edit"),
    path("item/<uuid:pk>/delete/", items.item_delete, name="item-delete"),
    path("roadmap/", roadmap_views.roadmap, name="roadmap"),
    path("optimise/", optimiser_views.optimise, name="optimise"),
    path("optimise/<uuid:pk>/", optimiser_views.optimisation, name="optimisation"),
    path("optimise/<uuid:pk>/plans/", optimiser_views.optimisation_to_plans, name="optimisation-to-plans"),
]
