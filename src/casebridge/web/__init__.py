"""Shared web plumbing: dependencies, problem responses, templates, sessions, static assets."""
