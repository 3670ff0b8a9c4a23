"""Joint operations and task forces: participants, targets, action days, results, reports."""
