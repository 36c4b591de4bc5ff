"""The editorial layer: the facilitator's conclusion and next steps, and per theme a synthesis,
chosen quotes and the decision on support material. Every save is a new version (the earlier ones
kept), a save made from an older version is refused, nothing changes once the guide is final, each
save is in the audit trail, and a part left empty is absent from the guide. On SQLite and PostgreSQL."""
from __future__ import annotations

import uuid

import pytest
from marshmallow import ValidationError

from workshop.domain.editorial import representative
from workshop.domain.errors import DomainError, Forbidden
from workshop.domain.guide import build_guide
from workshop.extensions import db
from workshop.models import AuditEntry, EditorialVersion, Workshop
from workshop.operations import perform
from workshop.services import editorial
from workshop.services import workshops as ws
from workshop.services import founding
from workshop.services.outcome import audience
from workshop.services.state import load_state

from tests.integration.test_setup_moderation import join, submit


def build():
    """A workshop with two themes, three contributions under the first, and a proposal for it."""
    created = founding.create_workshop("How do we buy better?", "en", "think-tank", None, None)
    wid, code = created.workshop.id, created.workshop.code
    fac = ws.Identity("facilitator", wid)
    alice, bob = join(code, wid, "buyer"), join(code, wid, "supplier")
    owner = submit(alice, text="Nobody owns the need")
    again = submit(bob, text="The need has no owner")
    late = submit(bob, text="Users come in too late")
    perform("phase.set", fac, {"phase": "aggregate"})
    themes = {name: perform("theme.create", fac, {"name": name}).reply["theme"]["id"] for name in ("Ownership", "Timing")}
    for item in (owner, again):
        perform("item.assign", fac, {"item_id": item["id"], "theme_id": themes["Ownership"]})
    perform("item.assign", fac, {"item_id": late["id"], "theme_id": themes["Timing"]})
    perform("phase.set", fac, {"phase": "concretise"})
    proposal = perform("proposal.submit", alice, {"client_id": uuid.uuid4().hex, "theme_id": themes["Ownership"],
                                                  "type": "checklist", "description": "A checklist for owning a need",
                                                  "who_needs": "new buyers"}).reply["proposal"]
    return created, fac, alice, themes, {"owner": owner, "again": again, "late": late}, proposal


def theme_payload(theme_id, version=0, **fields):
    return {"theme_id": theme_id, "version": version, **fields}


def guide_of(workshop_id):
    return build_guide(load_state(db.session.get(Workshop, workshop_id)))


def test_every_save_is_a_new_version_and_the_previous_ones_are_kept(app):
    created, fac, _, themes, _, _ = build()
    wid = created.workshop.id
    first = perform("editorial.set", fac, {"version": 0, "conclusion": "Ownership first.", "next_steps": ""})
    assert first.reply["version"] == 1 and first.changes[0].type == "editorial.changed"
    assert audience("editorial.changed") == ("facilitator",)
    second = perform("editorial.set", fac, {"version": 1, "conclusion": "Ownership first.",
                                            "next_steps": "Name an owner by March."})
    assert second.reply["version"] == 2
    assert [v["version"] for v in editorial.history(wid, "workshop")] == [2, 1]
    assert editorial.history(wid, "workshop")[1]["content"] == {"conclusion": "Ownership first.", "next_steps": ""}
    same = perform("editorial.set", fac, {"version": 2, "conclusion": "Ownership first.",
                                          "next_steps": "Name an owner by March."})
    assert same.reply["duplicate"] is True and same.stamp is None
    assert db.session.query(EditorialVersion).filter_by(workshop_id=wid).count() == 2
    view = editorial.view(wid)
    assert view["workshop"] == {"version": 2, "conclusion": "Ownership first.", "next_steps": "Name an owner by March."}
    assert [t["version"] for t in view["themes"]] == [0, 0]


def test_a_save_from_an_older_version_is_refused_with_a_clear_error_and_changes_nothing(app):
    created, fac, _, themes, _, _ = build()
    wid = created.workshop.id
    perform("theme.editorial.set", fac, theme_payload(themes["Timing"], synthesis="Users late."))
    before = db.session.scalar(db.select(Workshop.version).where(Workshop.id == wid))
    with pytest.raises(DomainError) as info:
        perform("theme.editorial.set", fac, theme_payload(themes["Timing"], 0, synthesis="Someone else's words."))
    assert info.value.code == "editorial_stale" and info.value.status == 409
    assert "Someone saved this part in the meantime (now version 1)" in str(info.value)
    assert db.session.scalar(db.select(Workshop.version).where(Workshop.id == wid)) == before
    assert editorial.current(wid)[f"theme-{themes['Timing']}"]["synthesis"] == "Users late."


def test_saving_is_refused_once_the_guide_is_final(app):
    created, fac, _, themes, _, _ = build()
    perform("editorial.set", fac, {"version": 0, "conclusion": "Before.", "next_steps": ""})
    perform("review.finalise", fac, {})
    for name, payload in (("editorial.set", {"version": 1, "conclusion": "After.", "next_steps": ""}),
                          ("theme.editorial.set", theme_payload(themes["Timing"], synthesis="After."))):
        with pytest.raises(DomainError) as info:
            perform(name, fac, payload)
        assert info.value.code == "editorial_final"
    assert editorial.current(created.workshop.id)["workshop"]["conclusion"] == "Before."
    assert editorial.view(created.workshop.id)["finalised"] is True


def test_each_save_is_audited_without_its_words_and_participants_may_not_save(app):
    created, fac, alice, themes, items, _ = build()
    wid = created.workshop.id
    organiser = ws.Actor("facilitator", wid, actor_role="organiser", account_id=None, email="org@example.org")
    perform("theme.editorial.set", organiser, theme_payload(themes["Ownership"], synthesis="Secret words",
                                                             quotes=[items["owner"]["id"]]))
    entry = db.session.scalars(db.select(AuditEntry).where(AuditEntry.workshop_id == wid,
                                                           AuditEntry.action == "theme.editorial.set")).one()
    assert entry.actor_role == "organiser" and entry.actor == "org@example.org"
    assert entry.detail == {"theme_id": themes["Ownership"], "version": 1, "fields": ["quotes", "synthesis"]}
    assert "Secret" not in str(entry.detail)
    assert db.session.scalars(db.select(EditorialVersion)).one().actor_role == "organiser"
    for name, payload in (("editorial.set", {"version": 0, "conclusion": "x", "next_steps": ""}),
                          ("theme.editorial.set", theme_payload(themes["Timing"], synthesis="x")),
                          ("editorial.get", {})):
        with pytest.raises(Forbidden):
            perform(name, alice, payload)


def test_bad_input_is_refused_and_changes_nothing(app):
    created, fac, _, themes, items, proposal = build()
    wid = created.workshop.id
    other = founding.create_workshop("Other", "en", "think-tank", None, None)
    foreign = perform("theme.create", ws.Identity("facilitator", other.workshop.id), {"name": "Not yours"})
    refusals = [
        theme_payload(themes["Timing"], support_kind="poster", support_description="x"),
        theme_payload(themes["Timing"], support_due="31/03/2027", support_description="x"),
        theme_payload(themes["Timing"], support_due="2027-02-30", support_description="x"),
        theme_payload(themes["Timing"], support_due="2027-W13-3", support_description="x"),
        theme_payload(themes["Timing"], quotes=[1, 2, 3, 4, 5, 6]),
        theme_payload(themes["Timing"], version=-1),
        theme_payload(themes["Timing"], synthesis="x" * 2001),
        theme_payload(themes["Timing"], unknown="x"),
    ]
    for payload in refusals:
        with pytest.raises(ValidationError):
            perform("theme.editorial.set", fac, payload)
    domain = [
        (theme_payload(themes["Timing"], support_owner="Anna"), "editorial_decision"),
        (theme_payload(themes["Timing"], quotes=[items["owner"]["id"]]), "quote_not_in_theme"),
        (theme_payload(themes["Timing"], proposal_id=proposal["id"]), "proposal_not_found"),
        (theme_payload(foreign.reply["theme"]["id"], synthesis="x"), "theme_not_found"),
    ]
    for payload, code in domain:
        with pytest.raises(DomainError) as info:
            perform("theme.editorial.set", fac, payload)
        assert info.value.code == code, payload
    assert db.session.query(EditorialVersion).filter_by(workshop_id=wid).count() == 0


def test_a_decision_taken_from_a_proposal_copies_its_kind_and_words(app):
    created, fac, _, themes, _, proposal = build()
    saved = perform("theme.editorial.set", fac, theme_payload(themes["Ownership"], proposal_id=proposal["id"],
                                                              support_owner="Procurement office",
                                                              support_due="2027-03-31"))
    assert saved.reply["content"]["support"] == {"kind": "checklist", "description": "A checklist for owning a need",
                                                 "owner": "Procurement office", "due": "2027-03-31",
                                                 "proposal_id": proposal["id"]}
    decision = guide_of(created.workshop.id).editorial.themes[0].decision
    assert (decision.kind, decision.description, decision.owner, decision.due.isoformat(), decision.from_proposal) == (
        "checklist", "A checklist for owning a need", "Procurement office", "2027-03-31", True)


def test_parts_left_empty_are_absent_from_the_guide(app):
    created, fac, _, themes, items, _ = build()
    wid = created.workshop.id
    assert guide_of(wid).editorial is None
    perform("editorial.set", fac, {"version": 0, "conclusion": "", "next_steps": "   "})
    perform("theme.editorial.set", fac, theme_payload(themes["Timing"], synthesis=""))
    assert guide_of(wid).editorial is None
    perform("theme.editorial.set", fac, theme_payload(themes["Ownership"], quotes=[items["again"]["id"]]))
    made = guide_of(wid).editorial
    assert made.conclusion == "" and made.next_steps == ""
    assert [(t.theme_name, t.synthesis, [q.text for q in t.quotes], t.decision) for t in made.themes] == [
        ("Ownership", "", ["The need has no owner"], None)]


def test_the_app_proposes_the_contributions_nearest_the_themes_centre_or_else_the_most_said(app):
    created, _, _, themes, items, _ = build()
    view = editorial.view(created.workshop.id)
    ownership = next(t for t in view["themes"] if t["theme_id"] == themes["Ownership"])
    assert ownership["proposed_quotes"] == [items["owner"]["id"], items["again"]["id"]]
    assert [c["proposed"] for c in ownership["candidates"]] == [True, True]
    # Without vectors: the most said first, the earlier on a tie.
    assert representative([(1, 1), (2, 3), (3, 3)], None, 2) == [2, 3]
    # With vectors: the ones nearest the centre of the theme first.
    import numpy as np
    vec = {i: np.array(v, dtype="<f4").tobytes() for i, v in {1: [1, 0], 2: [0.9, 0.1], 3: [0, 1], 4: [0.8, 0.3]}.items()}
    assert representative([(1, 1), (2, 1), (3, 5), (4, 1)], vec, 2) == [4, 2]


def test_the_refusals_are_clear_in_swedish_too(app):
    from flask_babel import force_locale

    from workshop.operations import error_body

    created, fac, _, themes, _, _ = build()
    perform("editorial.set", fac, {"version": 0, "conclusion": "Först.", "next_steps": ""})
    with pytest.raises(DomainError) as stale:
        perform("editorial.set", fac, {"version": 0, "conclusion": "Sen.", "next_steps": ""})
    perform("review.finalise", fac, {})
    with pytest.raises(DomainError) as final:
        perform("editorial.set", fac, {"version": 1, "conclusion": "Efter.", "next_steps": ""})
    with app.test_request_context(), force_locale("sv"):
        with pytest.raises(ValidationError) as invalid:  # messages are translated as the input is read
            perform("theme.editorial.set", fac, theme_payload(themes["Timing"], support_due="31/3"))
        assert error_body(stale.value) == {"code": "editorial_stale", "message": (
            "Någon har sparat den här delen under tiden (nu version 1). Din text finns kvar i formuläret: "
            "hämta delen igen och gör sedan din ändring på nytt.")}
        assert error_body(final.value)["message"] == \
            "Vägledningen är slutgiltig; dess slutsatser och beslut kan inte längre ändras."
        assert error_body(invalid.value)["message"] == ("Kontrollera det du har angett: Klart senast: ange ett "
                                                        "datum som finns, till exempel 2027-03-31, eller lämna "
                                                        "fältet tomt för inget datum.")


def test_a_field_left_out_keeps_its_saved_value(app):
    """A client sending only what it changed (the API marks every field optional) never blanks the
    rest: found by an outside test, where a save of the next steps alone emptied the conclusion."""
    created, fac, _, themes, _, _ = build()
    theme = themes["Ownership"]
    perform("editorial.set", fac, {"version": 0, "conclusion": "Ownership first."})
    saved = perform("editorial.set", fac, {"version": 1, "next_steps": "Name an owner by March."})
    assert saved.reply["content"] == {"conclusion": "Ownership first.", "next_steps": "Name an owner by March."}
    perform("theme.editorial.set", fac, theme_payload(theme, 0, synthesis="Nobody owns the need.",
                                                      support_kind="checklist", support_description="A checklist",
                                                      support_owner="The unit"))
    saved = perform("theme.editorial.set", fac, theme_payload(theme, 1, support_due="2027-03-31"))
    content = saved.reply["content"]
    assert content["synthesis"] == "Nobody owns the need."
    assert content["support"] == {"kind": "checklist", "description": "A checklist", "owner": "The unit",
                                  "due": "2027-03-31", "proposal_id": None}
    nothing = perform("editorial.set", fac, {"version": 2})
    assert nothing.reply["duplicate"] is True


def test_the_phones_draft_shows_what_the_facilitator_concluded(app):
    """The room validates the guide's conclusions too: the draft on the phones carries the
    conclusion, the next steps, each theme's synthesis and its decided support."""
    from workshop.services import review

    created, fac, alice, themes, _, _ = build()
    theme = themes["Ownership"]
    perform("editorial.set", fac, {"version": 0, "conclusion": "Ownership first.", "next_steps": "Name an owner."})
    perform("theme.editorial.set", fac, theme_payload(theme, 0, synthesis="Nobody owns the need.",
                                                      support_description="A checklist", support_owner="The unit",
                                                      support_due="2027-03-31"))
    perform("phase.set", fac, {"phase": "advice"})
    perform("review.open", fac, {"open": True})
    draft = review.draft(alice)["draft"]
    assert (draft["conclusion"], draft["next_steps"]) == ("Ownership first.", "Name an owner.")
    [owned] = [t for t in draft["themes"] if t["id"] == theme]
    assert owned["synthesis"] == "Nobody owns the need."
    assert owned["decision"] == {"kind": None, "description": "A checklist", "owner": "The unit", "due": "2027-03-31"}


def test_bad_input_in_any_editorial_field_is_a_400_naming_the_field_and_changes_nothing(app):
    """An impossible due date had been answered 409 (the rules' conflict) and an empty one 400: every
    field's bad input is now the same 400 "invalid" answer, the field named in `fields` and in the
    message, in the reader's language; an owner with no decision is 400 too, naming the decision."""
    from flask_babel import force_locale

    from workshop.operations import error_body, status_of

    created, fac, _, themes, items, proposal = build()
    wid, theme = created.workshop.id, themes["Timing"]
    cases = [
        ("theme.editorial.set", theme_payload(theme, support_due="2027-02-30", support_description="x"),
         "support_due", "Due date: enter a real date", "Klart senast: ange ett datum som finns"),
        ("theme.editorial.set", theme_payload(theme, support_due="2027-13-01", support_description="x"),
         "support_due", "Due date: enter a real date", "Klart senast: ange ett datum som finns"),
        ("theme.editorial.set", theme_payload(theme, synthesis="x" * 2001),
         "synthesis", "Synthesis in your own words: enter at most 2000 characters.",
         "Sammanfattning med egna ord: skriv högst 2000 tecken."),
        ("theme.editorial.set", theme_payload(theme, support_owner=7, support_description="x"),
         "support_owner", "Owner: enter text", "Ansvarig: skriv text"),
        ("editorial.set", {"version": 0, "conclusion": "x" * 4001},
         "conclusion", "Overall conclusion: enter at most 4000 characters.",
         "Övergripande slutsats: skriv högst 4000 tecken."),
        ("editorial.set", {"version": 0, "next_steps": ["a list"]},
         "next_steps", "Next steps: enter text", "Nästa steg: skriv text"),
        ("theme.editorial.set", theme_payload(theme, support_owner="Anna"),
         "support_description", "Describe the support material decided on",
         "Beskriv det stödmaterial som beslutades"),
        ("theme.editorial.set", theme_payload(theme, support_due="2027-03-31"),
         "support_description", "Describe the support material decided on",
         "Beskriv det stödmaterial som beslutades"),
        ("theme.editorial.set", theme_payload(theme, quotes=[items["owner"]["id"]]),
         "quotes", "A chosen quote is no longer a contribution of this theme.",
         "Ett valt citat är inte längre ett bidrag i det här temat."),
        ("theme.editorial.set", theme_payload(theme, proposal_id=proposal["id"]),
         "proposal_id", "This proposal no longer exists.", "Förslaget finns inte längre."),
    ]
    for name, payload, field, english, swedish in cases:
        for locale, words in (("en", english), ("sv", swedish)):
            with app.test_request_context(), force_locale(locale):
                with pytest.raises((ValidationError, DomainError)) as info:
                    perform(name, fac, payload)
                body = error_body(info.value)
                assert status_of(info.value) == 400, (payload, body)
                assert list(body["fields"]) == [field], body
                assert words in body["fields"][field][0] and words in body["message"], (locale, body)
    assert db.session.query(EditorialVersion).filter_by(workshop_id=wid).count() == 0


def test_a_cleared_field_means_none(app):
    """What a form sends for a field the facilitator cleared: an empty due date is no date, an
    empty kind or proposal none, a null text an empty one (never an error)."""
    created, fac, _, themes, _, _ = build()
    theme = themes["Timing"]
    saved = perform("theme.editorial.set", fac, theme_payload(theme, synthesis="Late.", support_description="A guide",
                                                              support_kind="guide", support_due="2027-03-31"))
    assert saved.reply["content"]["support"]["due"] == "2027-03-31"
    cleared = perform("theme.editorial.set", fac, theme_payload(theme, 1, support_due="", support_kind="",
                                                                proposal_id="", synthesis=None))
    assert cleared.reply["content"] == {"synthesis": "", "quotes": [], "support": {
        "kind": None, "description": "A guide", "owner": "", "due": None, "proposal_id": None}}
    assert guide_of(created.workshop.id).editorial.themes[0].decision.due is None
    perform("editorial.set", fac, {"version": 0, "conclusion": "Done.", "next_steps": "Next."})
    assert perform("editorial.set", fac, {"version": 1, "next_steps": None}).reply["content"] == {
        "conclusion": "Done.", "next_steps": ""}
