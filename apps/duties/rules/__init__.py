"""Scoring rules: their shape (schema), the items they score (items), validation before saving
(validate), the arithmetic (scoring) and the shipped presets (library). Pure: no database."""
