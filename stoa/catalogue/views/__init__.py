"""Catalogue pages: browse and compare, local measures, gap analysis, what-if options."""
