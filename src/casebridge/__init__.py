"""CaseBridge: cross-border cybercrime case handling for police cooperation."""

__version__ = "0.1.0"
