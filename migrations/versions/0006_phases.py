"""the full method: the Present spotlight, the phase timer, support proposals (Concretise)

Revision ID: 0006
Revises: 0005
"""
from alembic import op
import sqlalchemy as sa

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("workshops") as batch:
        batch.add_column(sa.Column("spotlight", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("timer", sa.JSON(), nullable=True))
    op.create_table(
        "proposals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.Column("theme_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=True),
        sa.Column("client_id", sa.String(length=64), nullable=False),
        sa.Column("type", sa.String(length=20), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("who_needs", sa.String(length=120), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["workshop_id"], ["workshops.id"], name=op.f("fk_proposals_workshop_id_workshops"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["theme_id"], ["themes.id"], name=op.f("fk_proposals_theme_id_themes"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["participant_id"], ["participants.id"],
                                name=op.f("fk_proposals_participant_id_participants"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_proposals")),
        sa.UniqueConstraint("workshop_id", "client_id", name=op.f("uq_proposals_workshop_id_client_id")),
    )
    with op.batch_alter_table("proposals") as batch:
        batch.create_index(batch.f("ix_proposals_workshop_id"), ["workshop_id"], unique=False)
        batch.create_index(batch.f("ix_proposals_theme_id"), ["theme_id"], unique=False)
        batch.create_index(batch.f("ix_proposals_participant_id"), ["participant_id"], unique=False)


def downgrade():
    op.drop_table("proposals")
    with op.batch_alter_table("workshops") as batch:
        batch.drop_column("timer")
        batch.drop_column("spotlight")
