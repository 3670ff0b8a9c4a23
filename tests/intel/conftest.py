"""The cases access matrix's desk (a client and the world's tokens) serves the intel tests."""

from tests.cases.test_access_matrix import desk

__all__ = ["desk"]
