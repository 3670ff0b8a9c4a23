"""Working together on an accepted case: signed messages with read receipts, tasks, notes."""
