"""receipts for idempotent ballots and advice; the phones' change sequence

Revision ID: 0002_receipts
Revises: 55dede28bace
"""
from alembic import op
import sqlalchemy as sa

revision = "0002_receipts"
down_revision = "55dede28bace"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("workshops") as batch:
        batch.add_column(sa.Column("participant_seq", sa.Integer(), nullable=False, server_default="0"))
    op.create_table(
        "receipts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.String(length=64), nullable=False),
        sa.Column("event", sa.String(length=40), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["workshop_id"], ["workshops.id"], name=op.f("fk_receipts_workshop_id_workshops"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["participant_id"], ["participants.id"],
                                name=op.f("fk_receipts_participant_id_participants"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_receipts")),
        sa.UniqueConstraint("workshop_id", "client_id", name=op.f("uq_receipts_workshop_id_client_id")),
    )
    with op.batch_alter_table("receipts") as batch:
        batch.create_index(batch.f("ix_receipts_workshop_id"), ["workshop_id"], unique=False)
        batch.create_index(batch.f("ix_receipts_participant_id"), ["participant_id"], unique=False)


def downgrade():
    op.drop_table("receipts")
    with op.batch_alter_table("workshops") as batch:
        batch.drop_column("participant_seq")
