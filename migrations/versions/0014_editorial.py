"""editorial layer: the facilitator's conclusion, next steps and per-theme synthesis, quotes and
support decision, every save kept as a version

Revision ID: 0014_editorial
Revises: 0013_review_responses

``editorial_versions`` holds one row per save. ``scope`` is "workshop" for the conclusion and next
steps, "theme-<id>" for one theme's synthesis, quotes and decision on support material; the highest
``version`` of a scope is in force and earlier ones are kept. The unique (workshop, scope, version)
refuses a second save made on the same version (an optimistic check enforced by the database).
"""
from alembic import op
import sqlalchemy as sa

revision = "0014_editorial"
down_revision = "0013_review_responses"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "editorial_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workshop_id", sa.Integer(), sa.ForeignKey(
            "workshops.id", name="fk_editorial_versions_workshop_id_workshops", ondelete="CASCADE"), nullable=False),
        sa.Column("scope", sa.String(24), nullable=False),
        sa.Column("theme_id", sa.Integer(), sa.ForeignKey(
            "themes.id", name="fk_editorial_versions_theme_id_themes", ondelete="CASCADE"), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("actor_role", sa.String(20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_editorial_versions"),
        sa.UniqueConstraint("workshop_id", "scope", "version",
                            name="uq_editorial_versions_workshop_id_scope_version"),
    )
    op.create_index("ix_editorial_versions_workshop_id", "editorial_versions", ["workshop_id"])
    op.create_index("ix_editorial_versions_theme_id", "editorial_versions", ["theme_id"])


def downgrade():
    op.drop_index("ix_editorial_versions_theme_id", table_name="editorial_versions")
    op.drop_index("ix_editorial_versions_workshop_id", table_name="editorial_versions")
    op.drop_table("editorial_versions")
