"""Private-sector partners: their sector and the threat reports they submit (issue 7)."""
