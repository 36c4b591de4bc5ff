"""voting rounds (dots, matrix, ranking), votes per round and entry, paper participants

Every existing workshop gets one round with its dot rules and reveal state, made current; its
dots become that round's votes (entry = theme, value = dots).

Revision ID: 0004
Revises: 0003_accounts_privacy_audit
"""
from alembic import op
import sqlalchemy as sa

revision = "0004"
down_revision = "0003_accounts_privacy_audit"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "voting_rounds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("method", sa.String(length=20), nullable=False),
        sa.Column("target", sa.String(length=20), nullable=False),
        sa.Column("dots", sa.Integer(), nullable=False),
        sa.Column("max_per_entry", sa.Integer(), nullable=False),
        sa.Column("revealed", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["workshop_id"], ["workshops.id"], name=op.f("fk_voting_rounds_workshop_id_workshops"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_voting_rounds")),
        sa.UniqueConstraint("workshop_id", "position", name=op.f("uq_voting_rounds_workshop_id_position")),
    )
    with op.batch_alter_table("voting_rounds") as batch:
        batch.create_index(batch.f("ix_voting_rounds_workshop_id"), ["workshop_id"], unique=False)
    with op.batch_alter_table("workshops") as batch:
        batch.add_column(sa.Column("current_round_id", sa.Integer(), nullable=True))
    # A plain ADD COLUMN: a batch would rebuild the table, and on SQLite (foreign keys on) dropping
    # the old participants table would take their votes, items and advice with it.
    op.add_column("participants", sa.Column("paper", sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table("votes") as batch:
        batch.add_column(sa.Column("round_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("entry_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("value", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("value2", sa.Integer(), nullable=True))

    op.execute(
        "INSERT INTO voting_rounds (workshop_id, position, title, method, target, dots, max_per_entry, revealed,"
        " created_at) SELECT id, 1, CASE WHEN language = 'sv' THEN 'Omgång 1' ELSE 'Round 1' END, voting_method,"
        " 'themes', dots, max_per_entry, results_revealed, created_at FROM workshops")
    op.execute("UPDATE workshops SET current_round_id = (SELECT r.id FROM voting_rounds r"
               " WHERE r.workshop_id = workshops.id AND r.position = 1)")
    op.execute("UPDATE votes SET entry_id = theme_id, value = dots, round_id = (SELECT r.id FROM voting_rounds r"
               " WHERE r.workshop_id = votes.workshop_id AND r.position = 1)")

    with op.batch_alter_table("votes") as batch:
        batch.drop_constraint("uq_votes_participant_id_theme_id", type_="unique")
        batch.drop_constraint("fk_votes_theme_id_themes", type_="foreignkey")
        batch.drop_column("theme_id")
        batch.drop_column("dots")
        batch.alter_column("round_id", existing_type=sa.Integer(), nullable=False)
        batch.alter_column("entry_id", existing_type=sa.Integer(), nullable=False)
        batch.alter_column("value", existing_type=sa.Integer(), nullable=False)
        batch.create_foreign_key(batch.f("fk_votes_round_id_voting_rounds"), "voting_rounds", ["round_id"], ["id"],
                                 ondelete="CASCADE")
        batch.create_unique_constraint(batch.f("uq_votes_round_id_participant_id_entry_id"),
                                       ["round_id", "participant_id", "entry_id"])
        batch.create_index(batch.f("ix_votes_participant_id"), ["participant_id"], unique=False)


def downgrade():
    # Only the votes of dot rounds that still name a theme can go back to the old shape.
    op.execute("DELETE FROM votes WHERE round_id NOT IN (SELECT r.id FROM voting_rounds r JOIN workshops w"
               " ON w.current_round_id = r.id WHERE r.method = 'dots')"
               " OR entry_id NOT IN (SELECT id FROM themes)")
    with op.batch_alter_table("votes") as batch:
        batch.add_column(sa.Column("theme_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("dots", sa.Integer(), nullable=True))
    op.execute("UPDATE votes SET theme_id = entry_id, dots = value")
    with op.batch_alter_table("votes") as batch:
        batch.drop_index(batch.f("ix_votes_participant_id"))
        batch.drop_constraint("uq_votes_round_id_participant_id_entry_id", type_="unique")
        batch.drop_constraint("fk_votes_round_id_voting_rounds", type_="foreignkey")
        batch.drop_column("round_id")
        batch.drop_column("entry_id")
        batch.drop_column("value")
        batch.drop_column("value2")
        batch.alter_column("theme_id", existing_type=sa.Integer(), nullable=False)
        batch.alter_column("dots", existing_type=sa.Integer(), nullable=False)
        batch.create_foreign_key(batch.f("fk_votes_theme_id_themes"), "themes", ["theme_id"], ["id"], ondelete="CASCADE")
        batch.create_unique_constraint(batch.f("uq_votes_participant_id_theme_id"), ["participant_id", "theme_id"])
    # Plain DROP COLUMN (SQLite 3.35+): rebuilding these tables would cascade into their children.
    op.execute("ALTER TABLE participants DROP COLUMN paper")
    op.execute("ALTER TABLE workshops DROP COLUMN current_round_id")
    with op.batch_alter_table("voting_rounds") as batch:
        batch.drop_index(batch.f("ix_voting_rounds_workshop_id"))
    op.drop_table("voting_rounds")
