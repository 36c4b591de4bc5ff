"""organiser sign-in with the organisation's OpenID provider, and accounts an administrator disables

Revision ID: 0015_oidc
Revises: 0014_editorial

An account signed in through OpenID Connect is linked to the provider's subject: the issuer and
the ``sub`` claim together, unique, never the e-mail address alone (an address can be reassigned
at the provider, or claimed at another one). ``disabled_at`` set means the account may not sign
in, by password or by the provider, and its open sessions end at their next request.
"""
from alembic import op
import sqlalchemy as sa

revision = "0015_oidc"
down_revision = "0014_editorial"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("accounts") as batch:
        batch.add_column(sa.Column("oidc_issuer", sa.String(length=255), nullable=True))
        batch.add_column(sa.Column("oidc_subject", sa.String(length=255), nullable=True))
        batch.add_column(sa.Column("disabled_at", sa.DateTime(timezone=True), nullable=True))
        batch.create_unique_constraint("uq_accounts_oidc_issuer_oidc_subject", ["oidc_issuer", "oidc_subject"])


def downgrade():
    with op.batch_alter_table("accounts") as batch:
        batch.drop_constraint("uq_accounts_oidc_issuer_oidc_subject", type_="unique")
        batch.drop_column("disabled_at")
        batch.drop_column("oidc_subject")
        batch.drop_column("oidc_issuer")
