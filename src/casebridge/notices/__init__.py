"""Notices and diffusions: what each kind says and needs (`criteria`), and their lives,
publication scope and duplicates (`model`). Both are pure."""
