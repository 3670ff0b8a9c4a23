"""MISP events and feeds."""
