"""Schema revisions, one module each (Alembic loads them by path; the package only ships them)."""
