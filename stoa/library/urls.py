from django.urls import path

from stoa.library import views

app_name = "library"
urlpatterns = [
    path("", views.LibraryListView.as_view(), name="list"),
    path("colours.css", views.colours_css, name="colours"),
    path("<str:urn>/", views.LibraryDetailView.as_view(), name="detail"),
]
