"""The organisation's street networks: import a file, list them, delete one no analysis uses."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import ProtectedError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stoa.accounts.roles import Action
from stoa.accounts.tenancy import can, get_for_user
from stoa.core.hvm.network import NetworkError
from stoa.core.hvm.streets import StreetFileError
from stoa.engineering.forms import NetworkUploadForm
from stoa.engineering.models import StreetNetwork
from stoa.engineering.vehicle import import_network


def networks(request: HttpRequest) -> HttpResponse:
    organisation = getattr(request, "organisation", None)
    may_add = organisation is not None and can(request.user, Action.ADD, organisation)
    form = NetworkUploadForm() if may_add else None
    status = 200
    if request.method == "POST":
        if not may_add or organisation is None:
            raise PermissionDenied(_("Your role does not allow this."))
        form = NetworkUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                network = import_network(organisation, form.cleaned_data["name"], upload.read(), upload.name,
                                         form.cleaned_data["notes"])
            except (StreetFileError, NetworkError) as exc:
                form.add_error("file", _("This street file cannot be imported: %(problem)s") % {"problem": exc})
            else:
                messages.success(request, _("“%(name)s” was imported: %(segments)s street segments, %(nodes)s nodes.")
                                 % {"name": network.name, "segments": f"{network.segment_count:,}",
                                    "nodes": f"{network.node_count:,}"})
                return redirect("engineering:networks")
        status = 400
    visible = StreetNetwork.objects.for_user(request.user, Action.VIEW).select_related("organisation") \
        .defer("data")
    return render(request, "engineering/networks.html", {"networks": visible, "form": form}, status=status)


@require_POST
def network_delete(request: HttpRequest, pk: Any) -> HttpResponse:
    network = get_for_user(StreetNetwork, request.user, Action.DELETE, pk=pk)
    try:
        network.delete()
    except ProtectedError:
        messages.error(request, _("“%(name)s” is used by a vehicle run-up analysis, so it is kept.")
                       % {"name": network.name})
    else:
        messages.success(request, _("“%(name)s” was deleted.") % {"name": network.name})
    return redirect("engineering:networks")
