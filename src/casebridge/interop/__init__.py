"""Interoperability: STIX 2.1, TAXII 2.1 and MISP."""
