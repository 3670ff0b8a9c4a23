"""Markings stored once per record, the SQL form of the access policy, audited access checks."""
