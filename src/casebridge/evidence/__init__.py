"""Evidence: encrypted content-addressed blobs, metadata and chain of custody."""
