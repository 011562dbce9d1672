"""Views of the archives app."""
