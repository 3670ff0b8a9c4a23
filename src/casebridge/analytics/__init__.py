"""Analytics and AI: related cases, modus operandi, triage, trends, campaigns, dashboards."""
