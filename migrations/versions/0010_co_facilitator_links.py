"""co-facilitator links: each co-facilitator runs the console with a link of their own

Revision ID: 0010_co_facilitator_links
Revises: 0009_rendered_guides

A co-facilitator used to run the live console with the owner's facilitator link, which removal
could not take back. Each invitation now carries its own capability token (stored as a hash, and
sealed with the SECRET_KEY so the co-facilitator's page can show it again); removing the
invitation deletes the row and so the link.
"""
from alembic import op
import sqlalchemy as sa

revision = "0010_co_facilitator_links"
down_revision = "0009_rendered_guides"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("co_facilitators") as batch:
        batch.add_column(sa.Column("token_hash", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("sealed_link", sa.String(length=200), nullable=True))
        batch.create_index(batch.f("ix_co_facilitators_token_hash"), ["token_hash"], unique=True)


def downgrade():
    with op.batch_alter_table("co_facilitators") as batch:
        batch.drop_index(batch.f("ix_co_facilitators_token_hash"))
        batch.drop_column("sealed_link")
        batch.drop_column("token_hash")
