"""Pure mapping between cases and STIX objects (filled by the STIX work)."""
