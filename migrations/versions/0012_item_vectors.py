"""item vectors: each contribution's meaning vector kept, starter themes, support for a contribution

Revision ID: 0012_item_vectors
Revises: 0011_joining

The grouping suggestions compare contributions by meaning. Embedding a text is the slow part, so
each contribution's vector is computed once and kept in ``item_vectors`` with the engine that made
it and a digest of the text it was made from: an edited text or another engine means it is made
again, never compared across engines. ``themes.starter_key`` remembers which starter theme of the
template a theme came from (its description helps place contributions under it).
``workshops.similar_hint`` is the facilitator's switch for "something similar is already here" on
the phones, and ``item_supports`` holds a participant's support for an existing contribution
(one row per participant and contribution: support is a mention, not a new item).
"""
from alembic import op
import sqlalchemy as sa

revision = "0012_item_vectors"
down_revision = "0011_joining"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "item_vectors",
        sa.Column("item_id", sa.Integer(), sa.ForeignKey("items.id", name="fk_item_vectors_item_id_items",
                                                         ondelete="CASCADE"), nullable=False),
        sa.Column("engine", sa.String(40), nullable=False),
        sa.Column("text_hash", sa.String(64), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("item_id", name="pk_item_vectors"),
    )
    op.create_table(
        "item_supports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workshop_id", sa.Integer(), sa.ForeignKey("workshops.id", name="fk_item_supports_workshop_id_workshops",
                                                             ondelete="CASCADE"), nullable=False),
        sa.Column("item_id", sa.Integer(), sa.ForeignKey("items.id", name="fk_item_supports_item_id_items",
                                                         ondelete="CASCADE"), nullable=False),
        sa.Column("participant_id", sa.Integer(), sa.ForeignKey(
            "participants.id", name="fk_item_supports_participant_id_participants", ondelete="CASCADE"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_item_supports"),
        sa.UniqueConstraint("participant_id", "item_id", name="uq_item_supports_participant_id_item_id"),
    )
    op.create_index("ix_item_supports_workshop_id", "item_supports", ["workshop_id"])
    op.create_index("ix_item_supports_item_id", "item_supports", ["item_id"])
    with op.batch_alter_table("themes") as batch:
        batch.add_column(sa.Column("starter_key", sa.String(40), nullable=True))
    with op.batch_alter_table("workshops") as batch:
        batch.add_column(sa.Column("similar_hint", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade():
    with op.batch_alter_table("workshops") as batch:
        batch.drop_column("similar_hint")
    with op.batch_alter_table("themes") as batch:
        batch.drop_column("starter_key")
    op.drop_index("ix_item_supports_item_id", table_name="item_supports")
    op.drop_index("ix_item_supports_workshop_id", table_name="item_supports")
    op.drop_table("item_supports")
    op.drop_table("item_vectors")
