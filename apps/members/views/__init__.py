"""Pages for the roster, member profiles, import/export and contact duties."""
