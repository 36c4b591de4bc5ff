"""Creating a workshop from a template: its lanes, perspectives and tags fixed in its language, its
links' tokens, a join code, and its first voting round.

Apart from services/workshops.py (who is asking, and the lock every change takes) because making
a workshop needs the templates and the rounds, which themselves take that lock.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError

from ..domain.errors import N_, DomainError
from ..extensions import db
from ..models import Lane, Perspective, Tag, Workshop
from . import rounds, tokens
from .setup import blueprint


@dataclass(frozen=True)
class Created:
    workshop: Workshop
    facilitator_token: str
    projector_token: str


def create_workshop(question: str, language: str, template_id: str | None = None,
                    organiser: str | None = None, anonymity: str | None = None) -> Created:
    """Create a workshop from a template (built-in or saved); its names are fixed in its language."""
    template = blueprint(template_id, language)
    facilitator_token = tokens.new_token()
    projector_token = tokens.projector_token_for(facilitator_token)
    lanes = [Lane(key=key, name=name, position=i) for i, (key, name) in enumerate(template.lanes)]
    perspectives = [Perspective(key=key, name=name, position=i) for i, (key, name) in enumerate(template.perspectives)]
    tags = [Tag(key=key, name=name, position=i) for i, (key, name) in enumerate(template.tags)]
    for _ in range(10):
        workshop = Workshop(
            code=tokens.new_join_code(), question=question, organiser=organiser, language=language,
            template=template.id,
            phases=list(template.phases), phase=template.phases[0], version=0,
            voting_method=template.voting["method"], dots=template.voting["dots"],
            max_per_entry=template.voting["max_per_entry"],
            anonymity=anonymity or template.anonymity, assess_items=template.assess_items, tags=tags,
            facilitator_token_hash=tokens.token_hash(facilitator_token),
            projector_token_hash=tokens.token_hash(projector_token),
            lanes=lanes, perspectives=perspectives,
        )
        db.session.add(workshop)
        try:
            db.session.flush()
            # A workshop starts with one round of its template's rules.
            rules = template.voting  # a blueprint's voting rules, as a dict (saved templates too)
            rounds.make_current(workshop, rounds.add_round(workshop, rules["method"], rules["dots"],
                                                           rules["max_per_entry"]))
            db.session.commit()
        except IntegrityError:  # join code taken: draw another
            db.session.rollback()
            continue
        return Created(workshop, facilitator_token, projector_token)
    raise DomainError("code_exhausted", N_("Could not allocate a join code; please try again."))
