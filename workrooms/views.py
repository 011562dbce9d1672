"""Views of the workrooms app."""
