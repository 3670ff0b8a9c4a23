"""Alembic environment: the engine comes from the caller (casebridge.db.migrate)."""

from alembic import context

from casebridge.db.schema import metadata

engine = context.config.attributes["engine"]

with engine.connect() as connection:
    context.configure(connection=connection, target_metadata=metadata, compare_type=True)
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
