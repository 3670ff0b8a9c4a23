"""The TAXII 2.1 server and feed client."""
