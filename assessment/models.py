"""Models of the assessment app (DOMAIN.md §9)."""
