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
MAX_WORDS = 7  # when a clause must be cut
WHOLE_CLAUSE_WORDS = 10  # a clause this short is kept whole: a cut one reads like a broken sentence
# Words a cut phrase must not end on besides function words: it would read as unfinished.
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
    """The first clause of a note, at most MAX_WORDS words, without a dangling function word."""
    text = " ".join(text.split())
    text = re.split(r"\s[–—-]\s|[.;:!?(]|,\s", text)[0].strip()
    lowered = f" {text.lower()} "
    cut = len(text)
    for marker in _CLAUSE_BREAKS.get(language, ()):
        at = lowered.find(f" {marker} ")
        if at > 0 and len(text[:at].split()) >= 3:
            cut = min(cut, at)
    words = text[:cut].split()
    if len(words) > WHOLE_CLAUSE_WORDS:
        words = words[:MAX_WORDS]
    stop = FUNCTION_WORDS.get(language, FUNCTION_WORDS["sv"]) | _DANGLING.get(language, frozenset())
    while len(words) > 2 and words[-1].lower().strip(",") in stop:
        words.pop()
    name = " ".join(words).strip(" ,")
    return name[:1].upper() + name[1:] if name else text[:60]
