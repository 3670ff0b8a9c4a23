"""Data-subject requests to the independent control body (CCF): access, correction, deletion."""
