"""Capacity building: the knowledge library (guides, modus-operandi sheets) and training
records (courses, sessions, participants) with statistics by region (`model` is pure)."""
