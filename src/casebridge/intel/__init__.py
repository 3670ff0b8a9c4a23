"""Intelligence engine: indicator normalisation, correlation, hit/no-hit, names, link graph."""
