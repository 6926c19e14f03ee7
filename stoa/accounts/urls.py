from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import path

from stoa.accounts import views, views_members

urlpatterns = [
    path("login/", login_not_required(views.LoginView.as_view()), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("organisation/", views.switch_organisation, name="switch-organisation"),
    path("members/", views_members.member_list, name="members"),
    path("members/<int:pk>/role/", views_members.member_role, name="member-role"),
    path("members/<int:pk>/remove/", views_members.member_remove, name="member-remove"),
]
