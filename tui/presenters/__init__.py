"""Presenters: what a screen says about the store's results, as Rich text lines (no widgets)."""
