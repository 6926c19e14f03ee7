"""Case study serializers: read-only (cases are written on the pages from a finished plan, or imported)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from stoa.cases.models import CaseStudy


class CaseStudySerializer(serializers.ModelSerializer):
    category: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="ref_id", read_only=True)
    threats: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="ref_id", many=True, read_only=True)
    organisation: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    imported = serializers.BooleanField(source="is_imported", read_only=True)
    distribution_meaning = serializers.CharField(read_only=True)
    imported_from = serializers.SerializerMethodField()

    class Meta:
        model = CaseStudy
        fields = ["id", "organisation", "title", "category", "threats", "measures", "capital_eur", "yearly_eur",
                  "risk_profile", "outcome", "lessons", "distribution", "distribution_meaning", "include_geometry",
                  "include_names", "include_exact_location", "source_plan", "imported", "imported_from",
                  "bundle_sha256", "imported_at", "created_at", "updated_at"]
        read_only_fields = fields

    def get_imported_from(self, case: CaseStudy) -> dict[str, Any] | None:
        if not case.is_imported:
            return None
        return {"installation": case.imported_from_installation, "organisation": case.imported_from_organisation}


class CaseImportRequest(serializers.Serializer):
    file = serializers.FileField(required=False, help_text="The bundle as a file (multipart); or send it as the "
                                                           "JSON body.")
    organisation = serializers.SlugField(required=False, help_text="Short name, if you belong to several.")
