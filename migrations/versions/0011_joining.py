"""joining: the facilitator can close a workshop to new participants; refused joins are counted

Revision ID: 0011_joining
Revises: 0010_co_facilitator_links

A script could join a workshop hundreds of times a second, each join a new participant. Joins are
now limited per address and per workshop, and the facilitator can close joining once the room is
in. ``joining_open`` says whether the workshop takes new participants (existing workshops do);
``joins_refused`` counts the joins it refused, which the console shows.
"""
from alembic import op
import sqlalchemy as sa

revision = "0011_joining"
down_revision = "0010_co_facilitator_links"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("workshops") as batch:
        batch.add_column(sa.Column("joining_open", sa.Boolean(), nullable=False, server_default=sa.true()))
        batch.add_column(sa.Column("joins_refused", sa.Integer(), nullable=False, server_default="0"))


def downgrade():
    with op.batch_alter_table("workshops") as batch:
        batch.drop_column("joins_refused")
        batch.drop_column("joining_open")
