"""review responses: a participant agrees or disagrees with each theme of the draft guide, and
the facilitator records what was done with each comment

Revision ID: 0013_review_responses
Revises: 0012_item_vectors

``review_responses`` holds one stance per participant and theme (the last one sent stands), so the
guide's validation section can report agreement per theme. ``guide_comments.handling`` is the
facilitator's note on a comment: accepted, changed or noted (null until set).
"""
from alembic import op
import sqlalchemy as sa

revision = "0013_review_responses"
down_revision = "0012_item_vectors"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "review_responses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workshop_id", sa.Integer(), sa.ForeignKey(
            "workshops.id", name="fk_review_responses_workshop_id_workshops", ondelete="CASCADE"), nullable=False),
        sa.Column("participant_id", sa.Integer(), sa.ForeignKey(
            "participants.id", name="fk_review_responses_participant_id_participants", ondelete="CASCADE"),
            nullable=False),
        sa.Column("theme_id", sa.Integer(), sa.ForeignKey(
            "themes.id", name="fk_review_responses_theme_id_themes", ondelete="CASCADE"), nullable=False),
        sa.Column("stance", sa.String(10), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_review_responses"),
        sa.UniqueConstraint("participant_id", "theme_id", name="uq_review_responses_participant_id_theme_id"),
    )
    op.create_index("ix_review_responses_workshop_id", "review_responses", ["workshop_id"])
    op.create_index("ix_review_responses_theme_id", "review_responses", ["theme_id"])
    with op.batch_alter_table("guide_comments") as batch:
        batch.add_column(sa.Column("handling", sa.String(10), nullable=True))


def downgrade():
    with op.batch_alter_table("guide_comments") as batch:
        batch.drop_column("handling")
    op.drop_index("ix_review_responses_theme_id", table_name="review_responses")
    op.drop_index("ix_review_responses_workshop_id", table_name="review_responses")
    op.drop_table("review_responses")
