"""the validation round: guide reviews and participants' comments on the draft guide

Revision ID: 0008_guide_review
Revises: 0007
"""
from alembic import op
import sqlalchemy as sa

revision = "0008_guide_review"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "guide_reviews",
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("is_open", sa.Boolean(), nullable=False),
        sa.Column("finalised_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["workshop_id"], ["workshops.id"], name=op.f("fk_guide_reviews_workshop_id_workshops"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("workshop_id", name=op.f("pk_guide_reviews")),
    )
    op.create_table(
        "guide_comments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.String(length=64), nullable=False),
        sa.Column("theme_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["workshop_id"], ["workshops.id"], name=op.f("fk_guide_comments_workshop_id_workshops"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["participant_id"], ["participants.id"],
                                name=op.f("fk_guide_comments_participant_id_participants"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["theme_id"], ["themes.id"], name=op.f("fk_guide_comments_theme_id_themes"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_guide_comments")),
        sa.UniqueConstraint("workshop_id", "client_id", name=op.f("uq_guide_comments_workshop_id_client_id")),
    )
    with op.batch_alter_table("guide_comments") as batch:
        batch.create_index(batch.f("ix_guide_comments_workshop_id"), ["workshop_id"], unique=False)
        batch.create_index(batch.f("ix_guide_comments_participant_id"), ["participant_id"], unique=False)


def downgrade():
    op.drop_table("guide_comments")
    op.drop_table("guide_reviews")
