"""Members of the active organisation: administrators add people, change roles, remove them."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from stoa.accounts import members
from stoa.accounts.forms import AddMemberForm, RoleForm, TwoFactorPolicyForm
from stoa.accounts.models import Membership, Organisation
from stoa.accounts.roles import Action
from stoa.accounts.tenancy import can, forget_memberships


def _managed_organisation(request: HttpRequest) -> Organisation:
    org = getattr(request, "organisation", None)
    if org is None or not can(request.user, Action.MANAGE, org):
        raise PermissionDenied(_("Only administrators manage members."))
    return org


def _membership(request: HttpRequest, org: Organisation, pk: int) -> Membership:
    return get_object_or_404(Membership, pk=pk, organisation=org)


def member_list(request: HttpRequest) -> HttpResponse:
    org = _managed_organisation(request)
    form = AddMemberForm(request.POST or None, organisation=org)
    if request.method == "POST" and form.is_valid():
        membership = members.add_member(org, form.cleaned_data)
        messages.success(request, _("%(user)s added as %(role)s.") % {
            "user": membership.user.get_username(), "role": membership.get_role_display()})
        return redirect("members")
    memberships = Membership.objects.filter(organisation=org).select_related("user").order_by("user__username")
    with_two_factor = set(TOTPDevice.objects.filter(user__memberships__organisation=org, confirmed=True)
                          .values_list("user_id", flat=True))
    return render(request, "accounts/members.html", {"memberships": memberships, "form": form,
                                                      "role_form": RoleForm(), "with_two_factor": with_two_factor,
                                                      "policy_form": TwoFactorPolicyForm(instance=org)})


@require_POST
def two_factor_policy(request: HttpRequest) -> HttpResponse:
    """Require (or stop requiring) two-factor authentication of every member; audited with the organisation."""
    org = _managed_organisation(request)
    form = TwoFactorPolicyForm(request.POST, instance=org)
    if form.is_valid():
        form.save()
        messages.success(request, _("Every member now needs two-factor authentication.")
                         if org.require_two_factor else _("Two-factor authentication is now up to each member."))
    return redirect("members")


@require_POST
def member_role(request: HttpRequest, pk: int) -> HttpResponse:
    org = _managed_organisation(request)
    membership = _membership(request, org, pk)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a valid role."))
    else:
        try:
            members.change_role(membership, form.cleaned_data["role"])
            messages.success(request, _("Role changed."))
        except members.MembershipError as exc:
            messages.error(request, str(exc))
    forget_memberships(request.user)
    return redirect("members")


@require_POST
def member_remove(request: HttpRequest, pk: int) -> HttpResponse:
    org = _managed_organisation(request)
    membership = _membership(request, org, pk)
    try:
        members.remove_member(membership)
        messages.success(request, _("Member removed."))
    except members.MembershipError as exc:
        messages.error(request, str(exc))
    return redirect("members")
