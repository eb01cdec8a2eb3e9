"""Alembic migrations of the history store, shipped inside the package.

:func:`egov_audit.history.store.HistoryStore.open` runs them on every open, so
users never need an ``alembic.ini``: the script location is this package.
"""
