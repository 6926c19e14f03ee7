"""Library pages: the loaded libraries and the objects of each, in the reader's language.

Libraries are reference content shared by every organisation (threat types, categories, the
risk matrix), not organisation data, so any logged-in user may read them and there is no
tenancy scoping here. Nothing on these pages changes data: libraries are loaded by the operator
with ``stoa library load``.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Max, QuerySet
from django.http import HttpRequest, HttpResponse
from django.views.generic import DetailView, ListView

from stoa.library import presentation
from stoa.library.models import Library


def colours_version() -> str:
    """Changes whenever a library is (re)loaded, so browsers fetch the new stylesheet."""
    latest = Library.objects.aggregate(latest=Max("loaded_at"))["latest"]
    return latest.strftime("%Y%m%d%H%M%S%f") if latest else "0"


class LibraryListView(ListView):
    model = Library
    template_name = "library/library_list.html"
    context_object_name = "libraries"

    def get_queryset(self) -> QuerySet[Library]:
        return Library.objects.annotate(object_count=Count("objects_set")).order_by("name")


class LibraryDetailView(DetailView):
    model = Library
    template_name = "library/library_detail.html"
    context_object_name = "library"
    slug_field = "urn"
    slug_url_kwarg = "urn"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["library_description"] = self.object.label("description")
        context["sections"] = presentation.sections(self.object)
        context["colours_version"] = colours_version()
        return context


def colours_css(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(presentation.colours_css(), content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "private, max-age=86400"  # the URL carries colours_version
    return response
