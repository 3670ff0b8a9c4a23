"""Cases: submission, screening, compliance review and the shared case file."""
