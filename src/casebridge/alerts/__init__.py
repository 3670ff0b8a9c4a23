"""Alerts: subscriptions, the in-app inbox, the live stream, signed webhooks and e-mail."""
