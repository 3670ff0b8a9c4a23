"""Engines, sessions, the unit of work, metadata and migrations."""
