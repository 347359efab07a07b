"""The roof: the project's settings, URLs and the pages that compose every app."""
