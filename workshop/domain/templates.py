"""Workshop templates: the lanes, perspectives, phases and voting rules of a kind of workshop.

Names are msgids (marked with ``N_``); a workshop is created in one language and the service
translates the names once, at creation, so a workshop's wording never shifts afterwards and the
facilitator can rename lanes without touching the catalog.
"""
from __future__ import annotations

from dataclasses import dataclass

from . import phases as ph
from .errors import N_, DomainError
from .model import VotingRules


@dataclass(frozen=True)
class Template:
    id: str
    name: str
    description: str
    phases: tuple[str, ...]
    lanes: tuple[tuple[str, str], ...]
    perspectives: tuple[tuple[str, str], ...]
    voting: VotingRules = VotingRules()
    tags: tuple[tuple[str, str], ...] = ()
    assess_items: bool = False  # every item is marked works well / needs development
    anonymity: str = "anonymous"


# Drawn from the seeds: who takes part in a needs-assessment think tank.
PROCUREMENT_PERSPECTIVES = (
    ("buyer", N_("Procurement officer")),
    ("requester", N_("Requesting department")),
    ("end_user", N_("End user")),
    ("supplier", N_("Supplier")),
    ("legal", N_("Legal adviser")),
    ("management", N_("Management")),
    ("other", N_("Other")),
)

# The procurement process as a flow (seeds 003 and 004): tags in a think tank, lanes (stages) in
# a customer journey.
PROCUREMENT_STAGES = (
    ("needs_analysis", N_("Needs analysis")),
    ("market_dialogue", N_("Market dialogue")),
    ("specification", N_("Specification")),
    ("tendering", N_("Tendering")),
    ("evaluation", N_("Evaluation and award")),
    ("contract", N_("Contract and follow-up")),
)

# The governance levels of the dialogue guide (seed 003).
GOVERNANCE_LEVELS = (
    ("operational", N_("Operational")),
    ("tactical", N_("Tactical")),
    ("strategic", N_("Strategic")),
)

THINK_TANK = Template(
    id="think-tank",
    name=N_("Needs-assessment think tank"),
    description=N_("Collect challenges and success factors, group them into themes, "
                   "prioritise with dots and end with one piece of advice each."),
    # The full method (PRODUCT.md): pre-work before the day, then the live session. A workshop
    # starts in its first phase; one run without pre-work simply moves on to Collect.
    phases=(ph.PREWORK, ph.COLLECT, ph.PRESENT, ph.AGGREGATE, ph.PRIORITISE, ph.CONCRETISE,
            ph.ADVICE, ph.CLOSED),
    lanes=(("challenge", N_("Challenge")), ("success_factor", N_("Success factor"))),
    perspectives=PROCUREMENT_PERSPECTIVES,
    tags=PROCUREMENT_STAGES,
)

# Seed 000: the process seen from the customer's side, stage by stage; buyers and suppliers
# compared.
CUSTOMER_JOURNEY = Template(
    id="customer-journey",
    name=N_("Customer journey"),
    description=N_("Walk through the procurement process stage by stage and mark what works well "
                   "and what needs development; compare buyers' and suppliers' views."),
    phases=(ph.COLLECT, ph.AGGREGATE, ph.PRIORITISE, ph.ADVICE, ph.CLOSED),
    lanes=PROCUREMENT_STAGES,
    perspectives=(("buyer", N_("Procurement officer")), ("supplier", N_("Supplier")),
                  ("requester", N_("Requesting department")), ("other", N_("Other"))),
    tags=GOVERNANCE_LEVELS,
    assess_items=True,
)

BLANK = Template(
    id="blank",
    name=N_("Blank workshop"),
    description=N_("One lane for ideas and the same phases; rename everything to suit you."),
    phases=(ph.COLLECT, ph.AGGREGATE, ph.PRIORITISE, ph.ADVICE, ph.CLOSED),
    lanes=(("idea", N_("Idea")),),
    perspectives=(("participant", N_("Participant")), ("other", N_("Other"))),
)

TEMPLATES = {t.id: t for t in (THINK_TANK, CUSTOMER_JOURNEY, BLANK)}
DEFAULT_TEMPLATE = THINK_TANK.id


def get_template(template_id: str | None) -> Template:
    template = TEMPLATES.get(template_id or DEFAULT_TEMPLATE)
    if template is None:
        raise DomainError("template_unknown", N_("There is no template called “%(template)s”."),
                          template=template_id)
    return template
