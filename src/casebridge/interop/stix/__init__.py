"""STIX 2.1 export and import."""
