"""rendered guides: a guide file kept until the workshop changes

Revision ID: 0009_rendered_guides
Revises: 0008_guide_review
"""
from alembic import op
import sqlalchemy as sa

revision = "0009_rendered_guides"
down_revision = "0008_guide_review"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "rendered_guides",
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.Column("format", sa.String(length=16), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("rendered_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["workshop_id"], ["workshops.id"],
                                name=op.f("fk_rendered_guides_workshop_id_workshops"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("workshop_id", "format", name=op.f("pk_rendered_guides")),
    )


def downgrade():
    op.drop_table("rendered_guides")
