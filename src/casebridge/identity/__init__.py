"""Countries, NCBs, agencies, users, roles, tokens, MFA and login."""
