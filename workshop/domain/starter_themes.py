"""Starter themes for a needs-assessment workshop: the themes that recur whenever public buyers
talk about needs assessment ("behovsarbete").

They come from the source material (the think tank on needs assessment: challenges such as
missing governance, guidelines and decision paths, lack of time and competence, needs mapped by
the "wrong" people; success factors such as linking needs to strategic goals, prioritising needs
and testing with users and suppliers; the customer journeys' shared pain points of early
dialogue and follow-up). A facilitator starts from them instead of an empty board, and the
suggestions can place contributions under them before anything has been placed by hand: the
name and description are what the meaning engine compares a contribution with.

Pure data: no Flask, no database. Each theme has a stable key, a name and a short description in
Swedish and English; the service picks the workshop's language once, at creation.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class StarterTheme:
    key: str
    name_sv: str
    name_en: str
    description_sv: str
    description_en: str

    def name(self, language: str) -> str:
        return self.name_sv if language == "sv" else self.name_en

    def description(self, language: str) -> str:
        return self.description_sv if language == "sv" else self.description_en


STARTER_THEMES: tuple[StarterTheme, ...] = (
    StarterTheme(
        "governance",
        "Styrning och beslutsvägar", "Governance and decision paths",
        "Vem äger behovet och vem fattar beslut? Riktlinjer, mandat, ledningens ansvar och en "
        "gemensam process för behovsarbetet.",
        "Who owns the need and who decides? Guidelines, mandates, management's responsibility "
        "and a shared process for needs assessment.",
    ),
    StarterTheme(
        "time_resources",
        "Tid och resurser", "Time and resources",
        "Tid, budget och personal för att göra behovsarbetet ordentligt och i tid, innan "
        "upphandlingen eller avtalet driver på.",
        "Time, budget and staff to do the needs work properly and early enough, before the "
        "tender or an expiring contract forces the pace.",
    ),
    StarterTheme(
        "competence",
        "Kompetens", "Competence",
        "Kunskap och metoder för att beskriva behov i stället för lösningar: utbildning, stöd, "
        "mallar och erfarenhet att lära av.",
        "Knowledge and methods to describe needs rather than solutions: training, support, "
        "templates and experience to learn from.",
    ),
    StarterTheme(
        "people_users",
        "Rätt personer och användarnas röst", "The right people and the users' voice",
        "Att behoven kartläggs av rätt personer: användare, medborgare och verksamhet är med "
        "från början och får testa kraven.",
        "Needs are mapped by the right people: users, citizens and the operations take part "
        "from the start and test the requirements.",
    ),
    StarterTheme(
        "strategic_goals",
        "Koppling till strategiska mål", "Links to strategic goals",
        "Varje behov kopplas till organisationens mål och politiska vision; vi beställer på "
        "effekt i stället för av gammal vana.",
        "Every need is linked to the organisation's goals and political vision; we order for "
        "an effect rather than out of habit.",
    ),
    StarterTheme(
        "prioritising",
        "Prioritera behoven", "Prioritising needs",
        "Att rangordna behoven och skilja nödvändigt från önskvärt, så att allt inte blir "
        "obligatoriska krav.",
        "Ranking the needs and telling what is necessary from what is nice to have, so that "
        "not everything becomes a mandatory requirement.",
    ),
    StarterTheme(
        "market_dialogue",
        "Dialog med marknaden", "Dialogue with the market",
        "Tidig dialog med leverantörer om vad marknaden kan leverera: RFI, informationsmöten "
        "och synpunkter på utkast.",
        "Early dialogue with suppliers about what the market can deliver: requests for "
        "information, supplier meetings and comments on drafts.",
    ),
    StarterTheme(
        "follow_up",
        "Uppföljning", "Follow-up",
        "Att följa upp om avtalet löste behovet, mäta effekten och ta med lärdomarna till nästa "
        "upphandling.",
        "Checking whether the contract met the need, measuring the effect and carrying the "
        "lessons into the next procurement.",
    ),
)

STARTER_THEME_KEYS = tuple(theme.key for theme in STARTER_THEMES)


def starter_theme(key: str) -> StarterTheme | None:
    return next((theme for theme in STARTER_THEMES if theme.key == key), None)
