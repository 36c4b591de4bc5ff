"""Names a person would write for a proposed theme: a short phrase taken from the theme's most
central contribution in the workshop's language, never a list of keywords."""
from __future__ import annotations

import re

_WORD = re.compile(r"[^\W_]+", re.UNICODE)

# Function words by language: enough to tell Swedish from English in a one-line note, and to
# avoid ending a name on "och", "för", "the", "to".
FUNCTION_WORDS = {
    "sv": frozenset("""att och en ett det den de är av för på med som till om vi inte har kan ska
        måste vid när eller men så hur vad var sin sitt sina våra vår vårt oss man alla från efter
        utan mer än mycket många blir bli finns får ofta både också inom samma under i hos sig
        dem där här dag ingen inget""".split()),
    "en": frozenset("""a an and are as at be by can do does for from has have how in is it its
        more no not of on or our so than that the their there they this to too we what when which
        who will with without you your all any each into only other same also about us be been
        should must need needs""".split()),
}
# Where a note's second clause starts: the phrase before it names the theme.
_CLAUSE_BREAKS = {
    "sv": ("innan", "eftersom", "så att", "för att", "när", "men", "utan att", "medan", "fast", "om"),
    "en": ("because", "before", "so that", "when", "but", "since", "while", "instead of", "whether", "if"),
}
WHOLE_CLAUSE_WORDS = 14  # a clause up to this long is kept whole: a cut one reads like a broken sentence
# Where a clause longer than that may be cut: before a coordinating word, the part before being a
# clause of its own ("... som en del av sitt uppdrag" | "och avsätter inga resurser").
_COORDINATORS = {
    "sv": frozenset("och samt eller men".split()),
    "en": frozenset("and or but".split()),
}
# Words a phrase must not end on besides function words: it would read as unfinished.
_DANGLING = {
    "sv": frozenset("alltid aldrig ofta redan bara även just sällan nog väldigt mest helt".split()),
    "en": frozenset("always never often already just only even rarely very mostly fully".split()),
}


def detect_language(text: str, default: str = "sv") -> str:
    words = _WORD.findall(text.lower())
    sv = sum(w in FUNCTION_WORDS["sv"] for w in words) + 2 * sum(c in "åäö" for c in text.lower())
    en = sum(w in FUNCTION_WORDS["en"] for w in words)
    if sv == en:
        return default
    return "sv" if sv > en else "en"


def phrase(text: str, language: str = "sv") -> str:
    """The note's first clause, whole: a name is cut only where a clause ends (a full stop, a
    dash, a comma; a subordinate clause after a complete main one; for a very long clause, a
    coordinating word), never in the middle, so it reads like words a person wrote."""
    text = " ".join(text.split())
    text = re.split(r"\s[–—-]\s|[.;!?(]|[:,]\s|:$", text)[0].strip()  # "API:er" is one word
    stop = FUNCTION_WORDS.get(language, FUNCTION_WORDS["sv"]) | _DANGLING.get(language, frozenset())
    words = text.split()
    lowered = [w.lower() for w in words]
    cut = len(words)
    for marker in _CLAUSE_BREAKS.get(language, ()):
        parts = marker.split()
        for at in range(3, len(words) - len(parts)):  # a marker last is an adverb ("dagen innan")
            # the clause before must be complete: not ending on "av", "för", "ofta"...
            if lowered[at:at + len(parts)] == parts and lowered[at - 1] not in stop:
                cut = min(cut, at)
                break
    words = words[:cut]
    if len(words) > WHOLE_CLAUSE_WORDS:
        joins = [at for at in range(4, WHOLE_CLAUSE_WORDS + 1)
                 if words[at].lower() in _COORDINATORS.get(language, frozenset()) and words[at - 1].lower() not in stop]
        if joins:
            words = words[:joins[-1]]
    name = " ".join(words).strip(" ,")
    return name[:1].upper() + name[1:] if name else text[:60]
