"""Persistence: SQLAlchemy Core tables, account-scoped queries, batch loaders, migrations."""
