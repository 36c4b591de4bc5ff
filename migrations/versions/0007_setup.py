"""workshop set-up: anonymity, assessed items, tags, item revisions, saved templates

Revision ID: 0007
Revises: 0006
"""
from alembic import op
import sqlalchemy as sa

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def _option_table(name: str) -> None:
    op.create_table(
        name,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["workshop_id"], ["workshops.id"], name=op.f(f"fk_{name}_workshop_id_workshops"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{name}")),
        sa.UniqueConstraint("workshop_id", "key", name=op.f(f"uq_{name}_workshop_id_key")),
    )
    with op.batch_alter_table(name) as batch:
        batch.create_index(batch.f(f"ix_{name}_workshop_id"), ["workshop_id"], unique=False)


def upgrade():
    with op.batch_alter_table("workshops") as batch:
        batch.add_column(sa.Column("anonymity", sa.String(length=20), server_default="anonymous", nullable=False))
        batch.add_column(sa.Column("assess_items", sa.Boolean(), server_default=sa.false(), nullable=False))
    with op.batch_alter_table("items") as batch:
        batch.add_column(sa.Column("tag", sa.String(length=40), nullable=True))
        batch.add_column(sa.Column("assessment", sa.String(length=20), nullable=True))
    _option_table("tags")
    op.create_table(
        "item_revisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("lane", sa.String(length=40), nullable=False),
        sa.Column("tag", sa.String(length=40), nullable=True),
        sa.Column("assessment", sa.String(length=20), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["item_id"], ["items.id"], name=op.f("fk_item_revisions_item_id_items"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_item_revisions")),
    )
    with op.batch_alter_table("item_revisions") as batch:
        batch.create_index(batch.f("ix_item_revisions_item_id"), ["item_id"], unique=False)
    op.create_table(
        "saved_templates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("config", sa.JSON(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"], name=op.f("fk_saved_templates_account_id_accounts"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_saved_templates")),
        sa.UniqueConstraint("key", name=op.f("uq_saved_templates_key")),
    )


def downgrade():
    op.drop_table("saved_templates")
    with op.batch_alter_table("item_revisions") as batch:
        batch.drop_index(batch.f("ix_item_revisions_item_id"))
    op.drop_table("item_revisions")
    with op.batch_alter_table("tags") as batch:
        batch.drop_index(batch.f("ix_tags_workshop_id"))
    op.drop_table("tags")
    with op.batch_alter_table("items") as batch:
        batch.drop_column("assessment")
        batch.drop_column("tag")
    with op.batch_alter_table("workshops") as batch:
        batch.drop_column("assess_items")
        batch.drop_column("anonymity")
