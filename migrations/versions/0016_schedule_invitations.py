"""schedule and e-mail invitations: when and where a workshop happens, the addresses invited to
it, and what was sent to them

Revision ID: 0016_schedule_invitations
Revises: 0015_oidc

``workshop_schedules`` holds one row per scheduled workshop (wall-clock day and times in its time
zone, a place or a meeting link, the pre-work window). ``mail_recipients`` holds the addresses an
organiser invites, the only personal data here, deleted with the workshop, at the end of its
retention period, when the guide-ready notice has gone, or when the person asks.
``mailings`` records each send in counts only.
"""
from alembic import op
import sqlalchemy as sa

revision = "0016_schedule_invitations"
down_revision = "0015_oidc"
branch_labels = None
depends_on = None


def _workshop_fk(table: str) -> sa.ForeignKey:
    return sa.ForeignKey("workshops.id", name=f"fk_{table}_workshop_id_workshops", ondelete="CASCADE")


def upgrade():
    op.create_table(
        "workshop_schedules",
        sa.Column("workshop_id", sa.Integer(), _workshop_fk("workshop_schedules"), nullable=False),
        sa.Column("day", sa.Date(), nullable=True),
        sa.Column("start", sa.Time(), nullable=True),
        sa.Column("end", sa.Time(), nullable=True),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.Column("place", sa.String(200), nullable=True),
        sa.Column("meeting_url", sa.String(500), nullable=True),
        sa.Column("prework_opens", sa.Date(), nullable=True),
        sa.Column("prework_closes", sa.Date(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("workshop_id", name="pk_workshop_schedules"),
    )
    op.create_table(
        "mail_recipients",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workshop_id", sa.Integer(), _workshop_fk("mail_recipients"), nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("secret", sa.String(64), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("prework_sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("validation_sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("guide_sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.String(300), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_mail_recipients"),
        sa.UniqueConstraint("workshop_id", "email", name="uq_mail_recipients_workshop_id_email"),
    )
    op.create_index("ix_mail_recipients_workshop_id", "mail_recipients", ["workshop_id"])
    op.create_table(
        "mailings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workshop_id", sa.Integer(), _workshop_fk("mailings"), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("recipients", sa.Integer(), nullable=False),
        sa.Column("sent", sa.Integer(), nullable=False),
        sa.Column("failed", sa.Integer(), nullable=False),
        sa.Column("error", sa.String(300), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_mailings"),
    )
    op.create_index("ix_mailings_workshop_id", "mailings", ["workshop_id"])


def downgrade():
    op.drop_index("ix_mailings_workshop_id", table_name="mailings")
    op.drop_table("mailings")
    op.drop_index("ix_mail_recipients_workshop_id", table_name="mail_recipients")
    op.drop_table("mail_recipients")
    op.drop_table("workshop_schedules")
