"""The demo world: the central unit, nine member countries' NCBs and agencies, demo users."""
