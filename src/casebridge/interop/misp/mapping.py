"""Pure mapping between cases and MISP events (filled by the MISP work)."""
