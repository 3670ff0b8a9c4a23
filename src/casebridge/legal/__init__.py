"""Legal cooperation: treaties, national legal profiles, the legal-basis checker, requests."""
