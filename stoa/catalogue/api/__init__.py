"""API of the measures catalogue: the catalogue itself, local measures, recommendations (the gap
analysis) and what-if options. Same tenancy rules and same code as the catalogue pages."""
