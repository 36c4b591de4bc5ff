"""organiser accounts, stewardship (owner, retention, sealed link), co-facilitators, audit trail

Revision ID: 0003_accounts_privacy_audit
Revises: 0002_receipts
"""
from alembic import op
import sqlalchemy as sa

revision = "0003_accounts_privacy_audit"
down_revision = "0002_receipts"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "accounts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("is_admin", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accounts")),
        sa.UniqueConstraint("email", name=op.f("uq_accounts_email")),
    )
    op.create_table(
        "stewardships",
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("retention_days", sa.Integer(), nullable=True),
        sa.Column("anonymised_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sealed_link", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(["workshop_id"], ["workshops.id"], name=op.f("fk_stewardships_workshop_id_workshops"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["owner_id"], ["accounts.id"], name=op.f("fk_stewardships_owner_id_accounts"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("workshop_id", name=op.f("pk_stewardships")),
    )
    with op.batch_alter_table("stewardships") as batch:
        batch.create_index(batch.f("ix_stewardships_owner_id"), ["owner_id"], unique=False)
    op.create_table(
        "co_facilitators",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["workshop_id"], ["workshops.id"],
                                name=op.f("fk_co_facilitators_workshop_id_workshops"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"],
                                name=op.f("fk_co_facilitators_account_id_accounts"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_co_facilitators")),
        sa.UniqueConstraint("workshop_id", "account_id", name=op.f("uq_co_facilitators_workshop_id_account_id")),
    )
    with op.batch_alter_table("co_facilitators") as batch:
        batch.create_index(batch.f("ix_co_facilitators_workshop_id"), ["workshop_id"], unique=False)
        batch.create_index(batch.f("ix_co_facilitators_account_id"), ["account_id"], unique=False)
    op.create_table(
        "audit_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workshop_id", sa.Integer(), nullable=True),
        sa.Column("workshop_code", sa.String(length=12), nullable=True),
        sa.Column("actor_role", sa.String(length=20), nullable=False),
        sa.Column("actor", sa.String(length=254), nullable=True),
        sa.Column("account_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"], name=op.f("fk_audit_entries_account_id_accounts"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_entries")),
    )
    with op.batch_alter_table("audit_entries") as batch:
        batch.create_index(batch.f("ix_audit_entries_workshop_id"), ["workshop_id"], unique=False)
        batch.create_index(batch.f("ix_audit_entries_created_at"), ["created_at"], unique=False)


def downgrade():
    op.drop_table("audit_entries")
    op.drop_table("co_facilitators")
    op.drop_table("stewardships")
    op.drop_table("accounts")
