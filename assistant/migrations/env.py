"""Alembic's environment: runs the revisions on the connection ``assistant.migrations`` passes in."""

from alembic import context

from assistant.migrations import head_metadata

connection = context.config.attributes.get("connection")
if connection is None or context.is_offline_mode():
    raise RuntimeError(
        "Migrations run on an open connection: call assistant.migrations.upgrade(engine), "
        "or pass assistant.migrations.config(connection) to an alembic command."
    )
context.configure(
    connection=connection,
    target_metadata=head_metadata(),
    # SQLite alters most things by copying the table; autogenerate should write it that way.
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
