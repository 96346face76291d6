"""Views of the proposal office and leadership pages (see ../urls.py for the routes)."""
