"""The guide as JSON, for other systems: the whole guide model, described by the published schema
docs/guide.schema.json (``schema_version`` changes when a field's meaning changes).

Keys are English and stable; values (names, texts) are in the workshop's language. Numbers are
numbers, not formatted strings, so a consumer never parses "31 %".
"""
from __future__ import annotations

import dataclasses
import json

from workshop.domain.guide import Guide, GuideItem, GuideTheme

from . import editorial, validation

SCHEMA_VERSION = 2  # 2: a contribution is a statement, a merged group once with its mentions
SCHEMA_ID = "guide.schema.json"


def _perspectives(counts) -> list[dict]:
    return [{"key": p.key or None, "name": p.name or None, "count": p.count} for p in counts]


def _item(item: GuideItem) -> dict:
    return {
        "ref": item.ref, "id": item.id, "text": item.text,
        "lane": {"key": item.lane, "name": item.lane_name},
        "tag": item.tag,
        "assessment": item.assessment, "on_behalf": item.on_behalf,
        "theme_id": item.theme_id, "theme_name": item.theme_name,
        "theme_rank": item.theme_rank, "theme_votes": item.theme_score,
        "perspective": ({"key": item.perspective.key, "name": item.perspective.name}
                        if item.perspective else None),
        "mentions": item.mentions, "perspectives": _perspectives(item.perspectives),
        "also_said": list(item.also_said),
        "client_id": item.client_ids[0] if item.client_ids else None,
        "client_ids": list(item.client_ids),
    }


def _theme(theme: GuideTheme) -> dict:
    r = theme.result
    return {
        "id": theme.id, "name": theme.name, "contributions": list(theme.refs),
        "result": None if r is None else {
            "rank": r.rank, "tied": r.tied, "score": r.score, "share": round(r.share, 6),
            "voters": r.voters, "voter_share": round(r.voter_share, 6), "dots": list(r.dots),
            "by_perspective": _perspectives(r.by_perspective),
        },
    }


def guide_document(guide: Guide) -> dict:
    t = guide.title
    return {
        "$schema": SCHEMA_ID,
        "schema_version": SCHEMA_VERSION,
        "title": {
            "question": t.question, "organiser": t.organiser, "code": t.code, "language": t.language,
            "date": t.date.isoformat(), "phase": t.phase, "draft": t.draft,
            "participants": t.participants,
            "participants_by_perspective": _perspectives(t.participants_by_perspective),
        },
        "method": {"template": t.method.template, "voting": {
            "method": guide.rules.method, "dots": guide.rules.dots, "max_per_entry": guide.rules.max_per_entry}},
        "votes": None if guide.votes is None else {
            "voters": guide.votes.voters, "dots_cast": guide.votes.dots_cast,
            "by_perspective": _perspectives(guide.votes.perspectives)},
        "summary": [theme.id for theme in guide.summary],
        "themes": [_theme(theme) for theme in guide.themes],
        "lanes": [{"key": lane.key, "name": lane.name,
                   "groups": [{"theme_id": g.theme_id, "contributions": [i.ref for i in g.items]}
                              for g in lane.groups]} for lane in guide.lanes],
        "advice": list(guide.advice),
        "advice_from": [{"text": a.text, "perspective": _perspective(a.perspective)} for a in guide.advice_from],
        "support": [{"theme_id": g.theme_id, "theme": g.theme_name, "rank": g.rank,
                     "proposals": [{"type": p.type, "description": p.description, "who_needs": p.who_needs,
                                    "perspective": _perspective(p.perspective)}
                                   for p in g.proposals]} for g in guide.support],
        **({"validation": validation.json_section(guide)} if guide.validation else {}),
        **({"editorial": editorial.json_section(guide)} if guide.editorial else {}),
        "contributions": [_item(item) for item in guide.appendix],
        "rounds": [{"position": r.position, "title": r.title, "method": r.rules.method, "target": r.target,
                    "dots": r.rules.dots, "max_per_entry": r.rules.max_per_entry, "voters": r.voters,
                    "paper_voters": r.paper_voters, "cast": r.cast, "entries": [dataclasses.asdict(e) for e in r.entries]} for r in guide.rounds],
    }


def render_json(guide: Guide, language: str | None = None) -> str:
    return json.dumps(guide_document(guide), ensure_ascii=False, indent=2) + "\n"


def _perspective(perspective) -> dict | None:
    """Where a proposal or a piece of advice came from; None when not stated."""
    return {"key": perspective.key, "name": perspective.name} if perspective else None
