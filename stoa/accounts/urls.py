from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import path

from stoa.accounts import password_reset, views, views_members, views_security, views_tokens

urlpatterns = [
    path("login/", login_not_required(views.LoginView.as_view()), name="login"),
    path("login/code/", views.login_code, name="login-code"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password-reset/", login_not_required(password_reset.PasswordResetView.as_view()), name="password_reset"),
    path("password-reset/sent/", login_not_required(auth_views.PasswordResetDoneView.as_view(
        template_name="registration/password_reset_done.html")), name="password_reset_done"),
    path("reset/<uidb64>/<token>/", login_not_required(password_reset.PasswordResetConfirmView.as_view()),
         name="password_reset_confirm"),
    path("reset/done/", login_not_required(auth_views.PasswordResetCompleteView.as_view(
        template_name="registration/password_reset_complete.html")), name="password_reset_complete"),
    path("security/", views_security.security, name="security"),
    path("security/two-factor/", views_security.enrol, name="two-factor-enrol"),
    path("security/recovery-codes/", views_security.recovery_codes, name="two-factor-recovery-codes"),
    path("security/two-factor/off/", views_security.turn_off, name="two-factor-off"),
    path("tokens/", views_tokens.token_list, name="tokens"),
    path("tokens/<int:pk>/revoke/", views_tokens.token_revoke, name="token-revoke"),
    path("organisation/", views.switch_organisation, name="switch-organisation"),
    path("members/", views_members.member_list, name="members"),
    path("members/two-factor/", views_members.two_factor_policy, name="members-two-factor"),
    path("members/<int:pk>/role/", views_members.member_role, name="member-role"),
    path("members/<int:pk>/remove/", views_members.member_remove, name="member-remove"),
]
