"""The tamper-evident audit log: hash-chained entries sealed by signed checkpoints."""
