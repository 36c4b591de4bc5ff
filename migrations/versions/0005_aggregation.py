"""aggregation: merged themes and items (provenance), undoable steps, rejected suggestions

Revision ID: 0005
Revises: 0004
"""
from alembic import op
import sqlalchemy as sa

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("themes") as batch:
        batch.add_column(sa.Column("merged_into_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(batch.f("fk_themes_merged_into_id_themes"), "themes", ["merged_into_id"], ["id"],
                                 ondelete="SET NULL")
        batch.create_index(batch.f("ix_themes_merged_into_id"), ["merged_into_id"], unique=False)
    with op.batch_alter_table("items") as batch:
        batch.add_column(sa.Column("origin_theme_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(batch.f("fk_items_origin_theme_id_themes"), "themes", ["origin_theme_id"], ["id"],
                                 ondelete="SET NULL")
        batch.add_column(sa.Column("merged_into_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(batch.f("fk_items_merged_into_id_items"), "items", ["merged_into_id"], ["id"],
                                 ondelete="SET NULL")
        batch.create_index(batch.f("ix_items_merged_into_id"), ["merged_into_id"], unique=False)
    op.create_table(
        "aggregation_steps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("before", sa.JSON(), nullable=False),
        sa.Column("after", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("undone_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["workshop_id"], ["workshops.id"],
                                name=op.f("fk_aggregation_steps_workshop_id_workshops"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_aggregation_steps")),
    )
    with op.batch_alter_table("aggregation_steps") as batch:
        batch.create_index(batch.f("ix_aggregation_steps_workshop_id"), ["workshop_id"], unique=False)
    op.create_table(
        "rejected_suggestions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["workshop_id"], ["workshops.id"],
                                name=op.f("fk_rejected_suggestions_workshop_id_workshops"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rejected_suggestions")),
        sa.UniqueConstraint("workshop_id", "key", name=op.f("uq_rejected_suggestions_workshop_id_key")),
    )
    with op.batch_alter_table("rejected_suggestions") as batch:
        batch.create_index(batch.f("ix_rejected_suggestions_workshop_id"), ["workshop_id"], unique=False)


def downgrade():
    op.drop_table("rejected_suggestions")
    op.drop_table("aggregation_steps")
    with op.batch_alter_table("items") as batch:
        batch.drop_index(batch.f("ix_items_merged_into_id"))
        batch.drop_constraint(batch.f("fk_items_merged_into_id_items"), type_="foreignkey")
        batch.drop_column("merged_into_id")
        batch.drop_constraint(batch.f("fk_items_origin_theme_id_themes"), type_="foreignkey")
        batch.drop_column("origin_theme_id")
    with op.batch_alter_table("themes") as batch:
        batch.drop_index(batch.f("ix_themes_merged_into_id"))
        batch.drop_constraint(batch.f("fk_themes_merged_into_id_themes"), type_="foreignkey")
        batch.drop_column("merged_into_id")
