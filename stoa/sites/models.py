"""Public spaces of interest (PSOIs) and what hangs off them on the map."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from stoa.accounts.models import Organisation
from stoa.accounts.roles import Action
from stoa.accounts.tenancy import OrgOwnedModel, org_ids_for
from stoa.accounts.versioning import VersionedModel
from stoa.core import geometry
from stoa.core.priority import PriorityResult, priority
from stoa.library.models import ReferenceObject
from stoa.sites.formfields import geometry_message


def _check_geometry(value: Any, kind: str | tuple[str, ...]) -> Any:
    try:
        return geometry.parse(value, kind)
    except geometry.GeometryError as exc:
        raise ValidationError(geometry_message(exc)) from exc


class Ownership(models.TextChoices):
    PUBLIC = "public", _("Public")
    PRIVATE = "private", _("Private")
    MIXED = "mixed", _("Mixed public and private")


class Site(VersionedModel, OrgOwnedModel):
    """A public space of interest: a square, station, market street, venue forecourt..."""

    name = models.CharField(_("name"), max_length=200)
    category = models.ForeignKey(
        ReferenceObject,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": "psoi_category"},
    )
    description = models.TextField(_("description"), blank=True)
    ownership = models.CharField(_("owner type"), max_length=16, choices=Ownership.choices, default=Ownership.PUBLIC)
    owner_name = models.CharField(_("owner or managing body"), max_length=200, blank=True)
    boundary = models.JSONField(_("boundary"), null=True, blank=True, help_text=_("GeoJSON polygon, WGS84."))
    area_m2 = models.FloatField(_("area (m²)"), null=True, blank=True, editable=False)
    lon = models.FloatField(null=True, blank=True, editable=False)
    lat = models.FloatField(null=True, blank=True, editable=False)
    surroundings = models.TextField(_("surroundings"), blank=True)
    symbolic_value = models.PositiveSmallIntegerField(
        _("symbolic value"), default=1, validators=[MinValueValidator(1), MaxValueValidator(3)],
        help_text=_("1 low, 2 notable (landmark, well-known venue), 3 national, political or religious symbol."),
    )
    priority_score = models.PositiveSmallIntegerField(_("computed priority"), default=0, editable=False)
    priority_override = models.PositiveSmallIntegerField(
        _("priority override"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    priority_justification = models.TextField(_("why the priority was overridden"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("public space of interest")
        verbose_name_plural = _("public spaces of interest")

    def __str__(self) -> str:
        return self.name

    @classmethod
    def shared_condition(cls, org_ids: list[Any], levels: list[str]) -> Q | None:
        return Q(pk__in=SiteShare.objects.filter(organisation_id__in=org_ids, access__in=levels).values("site_id"))

    def clean(self) -> None:
        if self.boundary:
            _check_geometry(self.boundary, "Polygon")
        if self.priority_override is not None and not self.priority_justification.strip():
            raise ValidationError({"priority_justification": _("Say why the computed priority is overridden.")})
        if self.category_id and self.category.kind != "psoi_category":
            raise ValidationError({"category": _("Choose a public-space category.")})

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.refresh_geometry()
        if not self._state.adding:
            self.priority_score = self.compute_priority().score
        else:
            self.priority_score = priority(0, self.symbolic_value, 0).score
        super().save(*args, **kwargs)

    def refresh_geometry(self) -> None:
        """Area and map position follow the boundary; without one, a given lon/lat is kept."""
        if self.boundary:
            geom = geometry.parse(self.boundary, "Polygon")
            self.area_m2 = round(geometry.area_m2(geom), 1)
            self.lon, self.lat = geometry.centroid(geom)
        else:
            self.area_m2 = None

    @property
    def priority(self) -> int:
        return self.priority_override if self.priority_override is not None else self.priority_score

    def compute_priority(self, slots: list[CrowdSlot] | None = None,
                         events: list[SiteEvent] | None = None) -> PriorityResult:
        """The priority from the site's crowd SLOTS and EVENTS (read here unless given)."""
        slots = list(self.crowdslots.all()) if slots is None else slots
        events = list(self.siteevents.all()) if events is None else events
        peak = max([s.peak_people for s in slots] + [e.expected_peak for e in events] + [0])
        year_ago = datetime.date.today() - datetime.timedelta(days=365)
        per_year = sum(1 for e in events if e.end_date >= year_ago)
        return priority(peak, self.symbolic_value, per_year)

    def update_priority(self) -> None:
        score = self.compute_priority().score
        if score != self.priority_score:
            self.priority_score = score
            Site.objects.filter(pk=self.pk).update(priority_score=score)


class SitePart(OrgOwnedModel):
    """Something that belongs to one site; it always belongs to the site's organisation."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="%(class)ss")

    class Meta:
        abstract = True

    @classmethod
    def shared_condition(cls, org_ids: list[Any], levels: list[str]) -> Q | None:
        return Q(site_id__in=SiteShare.objects.filter(organisation_id__in=org_ids, access__in=levels).values("site_id"))

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.organisation_id = self.site.organisation_id
        super().save(*args, **kwargs)


class Zone(SitePart):
    """An area inside a site, e.g. "market stalls" or "tram stop"."""

    name = models.CharField(_("name"), max_length=200)
    geometry = models.JSONField(_("outline"), help_text=_("GeoJSON polygon, WGS84."))
    area_m2 = models.FloatField(_("area (m²)"), null=True, blank=True, editable=False)
    usable_share = models.FloatField(
        _("usable share of the area"), default=1.0, validators=[MinValueValidator(0.05), MaxValueValidator(1.0)],
        help_text=_("Part of the zone people can stand on (1 = all of it)."),
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("zone")
        verbose_name_plural = _("zones")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        _check_geometry(self.geometry, "Polygon")

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.area_m2 = round(geometry.area_m2(geometry.parse(self.geometry, "Polygon")), 1)
        super().save(*args, **kwargs)


class AccessKind(models.TextChoices):
    VEHICLE = "vehicle", _("Vehicle")
    PEDESTRIAN = "pedestrian", _("Pedestrian")
    EMERGENCY = "emergency", _("Emergency services")
    MIXED = "mixed", _("Vehicles and pedestrians")


class AccessPoint(SitePart):
    """A way into the site: a street mouth, gate, passage or emergency route."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=AccessKind.choices)
    width_m = models.FloatField(_("width (m)"), validators=[MinValueValidator(0.1), MaxValueValidator(200)])
    geometry = models.JSONField(_("location"), help_text=_("GeoJSON point, WGS84."))
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("access point")
        verbose_name_plural = _("access points")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        _check_geometry(self.geometry, "Point")


class PriorityInput(SitePart):
    """A site part that feeds the site's priority: saving or deleting it recomputes the priority."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        self.site.update_priority()

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        result = super().delete(*args, **kwargs)
        self.site.update_priority()
        return result


class CrowdSlot(PriorityInput):
    """How many people are present in a recurring time slot (e.g. Saturday market morning)."""

    label = models.CharField(_("time slot"), max_length=120)
    days = models.CharField(_("days"), max_length=60, blank=True, help_text=_("e.g. Mon–Fri, Saturday"))
    start_time = models.TimeField(_("from"))
    end_time = models.TimeField(_("to"))
    typical_people = models.PositiveIntegerField(_("typical people"))
    peak_people = models.PositiveIntegerField(_("peak people"))

    class Meta:
        ordering = ["start_time", "label"]
        verbose_name = _("crowd time slot")
        verbose_name_plural = _("crowd profile")

    def __str__(self) -> str:
        return self.label

    def clean(self) -> None:
        if self.peak_people is not None and self.typical_people is not None and self.peak_people < self.typical_people:
            raise ValidationError({"peak_people": _("The peak cannot be lower than the typical number.")})


class SiteEvent(PriorityInput):
    """An event on the site, e.g. a Christmas market, with its temporary layout."""

    name = models.CharField(_("name"), max_length=200)
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    expected_peak = models.PositiveIntegerField(_("expected peak attendance"))
    recurrence = models.CharField(_("recurrence"), max_length=60, blank=True, help_text=_("e.g. yearly"))
    layout = models.JSONField(
        _("temporary layout"), null=True, blank=True,
        help_text=_("GeoJSON FeatureCollection of stalls, stages, fences."),
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["start_date"]
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The last day cannot be before the first day.")})
        if self.layout:
            features = self.layout.get("features") if isinstance(self.layout, dict) else None
            if not isinstance(features, list):
                raise ValidationError({"layout": _("The layout must be a GeoJSON FeatureCollection.")})
            for i, feature in enumerate(features):
                try:
                    geometry.parse(feature, ("Polygon", "Point", "LineString"))
                except geometry.GeometryError as exc:
                    raise ValidationError({"layout": _("feature %(n)s: %(problem)s") % {
                        "n": i + 1, "problem": geometry_message(exc)}}) from exc


class AttachmentKind(models.TextChoices):
    PHOTO = "photo", _("Photo")
    PLAN = "plan", _("Plan")
    OTHER = "other", _("Other document")


def _attachment_path(instance: Attachment, filename: str) -> str:
    return f"sites/{instance.organisation_id}/{instance.site_id}/{instance.id}-{filename}"


class Attachment(SitePart):
    """A photo or plan of the site. Served only to people who may see the site."""

    kind = models.CharField(_("kind"), max_length=16, choices=AttachmentKind.choices)
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=_attachment_path, max_length=255)
    content_type = models.CharField(max_length=100, editable=False)
    size = models.PositiveIntegerField(editable=False, default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.title


class ShareAccess(models.TextChoices):
    READ = "read", _("Read only")
    EDIT = "edit", _("Read and edit")


class SiteShareQuerySet(models.QuerySet):
    def for_user(self, user: Any, action: str = Action.VIEW) -> SiteShareQuerySet:
        """Shares USER may see (made by or given to one of their organisations) or, for any other
        ACTION, may make, change or withdraw: that is the SHARE right on the site itself."""
        if action == Action.VIEW:
            orgs = org_ids_for(user, Action.VIEW)
            return self.filter(Q(site__organisation_id__in=orgs) | Q(organisation_id__in=orgs))
        return self.filter(site__in=Site.objects.for_user(user, Action.SHARE))


class SiteShare(models.Model):
    """A deliberate, recorded decision to let another organisation see (or edit) one site."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="shares")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("shared with"), on_delete=models.CASCADE, related_name="received_shares"
    )
    access = models.CharField(_("access"), max_length=8, choices=ShareAccess.choices, default=ShareAccess.READ)
    shared_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SiteShareQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["site", "organisation"], name="one_share_per_org")]
        verbose_name = _("share")
        verbose_name_plural = _("shares")

    def __str__(self) -> str:
        return f"{self.site} → {self.organisation} ({self.access})"

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation": str(self.site.organisation_id)}

    def clean(self) -> None:
        if self.site_id and self.organisation_id == self.site.organisation_id:
            raise ValidationError({"organisation": _("A site cannot be shared with its own organisation.")})
