"""Flask commands: a demo workshop, guide export, the privacy purge and the first administrator.
They use the same services as everyone."""
from __future__ import annotations

import os
import uuid

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from flask_babel import gettext
from flask_migrate import upgrade

from .demo_data import DEMO_WORKSHOP
from .domain import phases
from .domain.errors import DomainError
from .extensions import db
from .models import Workshop
from .http.links import workshop_links
from .operations import join, perform
from .services import accounts, privacy
from .services import workshops as ws
from .services import founding
from .services import oidc_accounts


def migrate_database() -> None:
    upgrade(directory=current_app.extensions["migrate"].directory)


def create_demo(final_phase: str = phases.ADVICE) -> tuple[str, dict]:
    """Run the demo think tank through the real services, phase by phase."""
    data = DEMO_WORKSHOP
    created = founding.create_workshop(data["question"], data["language"], "think-tank", data.get("organiser"))
    workshop_id, code = created.workshop.id, created.workshop.code
    facilitator = ws.Identity("facilitator", workshop_id)
    people: dict[str, ws.Identity] = {}
    for person in data["participants"]:
        participant, _token = join(code, {"perspective": person["perspective"], "name": person["name"]})
        people[person["key"]] = ws.Identity("participant", workshop_id, participant["id"])
    items, keyed = [], {}
    for entry in data["items"]:
        outcome = perform("item.submit", people[entry["participant"]],
                          {"client_id": uuid.uuid4().hex, "lane": entry["lane"], "text": entry["text"]})
        items.append((outcome.reply["item"]["id"], entry.get("theme")))
        if entry.get("key"):
            keyed[entry["key"]] = outcome.reply["item"]["id"]
    perform("phase.set", facilitator, {"phase": phases.AGGREGATE})
    themes = {}
    for theme in data["themes"]:
        themes[theme["key"]] = perform("theme.create", facilitator, {"name": theme["name"]}).reply["theme"]["id"]
    for item_id, theme_key in items:
        if theme_key:
            perform("item.assign", facilitator, {"item_id": item_id, "theme_id": themes[theme_key]})
    for (item_id, _theme), entry in zip(items, data["items"]):
        if entry.get("duplicate_of"):
            perform("item.merge", facilitator, {"item_id": item_id, "into_id": keyed[entry["duplicate_of"]]})
    perform("phase.set", facilitator, {"phase": phases.PRIORITISE})
    for key, ballot in data["ballots"].items():
        allocation = {str(themes[t]): n for t, n in ballot.items()}
        perform("ballot.set", people[key], {"client_id": f"demo-ballot-{key}", "allocation": allocation})
    perform("results.reveal", facilitator, {"revealed": True})
    perform("phase.set", facilitator, {"phase": phases.CONCRETISE})
    proposals = []
    for n, proposal in enumerate(data.get("proposals", ())):
        proposals.append(perform("proposal.submit", people[proposal["participant"]], {
            "client_id": f"demo-proposal-{n}", "theme_id": themes[proposal["theme"]], "type": proposal["type"],
            "description": proposal["description"], "who_needs": proposal["who_needs"]}).reply["proposal"]["id"])
    perform("phase.set", facilitator, {"phase": phases.ADVICE})
    for key, text in data["advice"].items():
        perform("advice.set", people[key], {"client_id": f"demo-advice-{key}", "text": text})
    _write_editorial(facilitator, data.get("editorial"), themes, keyed, proposals)
    if final_phase != phases.ADVICE:
        perform("phase.set", facilitator, {"phase": final_phase})

    workshop = db.session.get(Workshop, workshop_id)
    return code, workshop_links(workshop, created.facilitator_token, created.projector_token)


def _write_editorial(facilitator, editorial: dict | None, themes: dict, keyed: dict, proposals: list) -> None:
    """The facilitator's conclusion, next steps and per theme synthesis, quotes and decided support."""
    if not editorial:
        return
    perform("editorial.set", facilitator, {"version": 0, "conclusion": editorial.get("conclusion", ""),
                                           "next_steps": editorial.get("next_steps", "")})
    for key, words in editorial.get("themes", {}).items():
        support = words.get("support") or {}
        perform("theme.editorial.set", facilitator, {
            "theme_id": themes[key], "version": 0, "synthesis": words.get("synthesis", ""),
            "quotes": [keyed[k] for k in words.get("quotes", ())],
            "proposal_id": proposals[support["proposal"]] if "proposal" in support else None,
            "support_owner": support.get("owner", ""), "support_due": support.get("due")})


def _cli_base_url() -> str:
    """Links printed by the CLI point where ``make run`` serves, unless PUBLIC_URL says otherwise."""
    return current_app.config.get("PUBLIC_URL") or \
        f"http://{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '5000')}"


def init_app(app: Flask) -> None:
    @app.cli.command("demo")
    @click.option("--phase", type=click.Choice([phases.ADVICE, phases.CLOSED]), default=phases.ADVICE,
                  help="Leave the demo in this phase (advice lets people still join and write).")
    def demo(phase: str) -> None:
        """Create a demo think tank (in Swedish) and print its join code and links."""
        migrate_database()
        with current_app.test_request_context("/", base_url=_cli_base_url()):
            code, links = create_demo(phase)
        click.echo(f"Demo workshop created. Join code: {code}")
        click.echo(f"  Join (phones):   {links['join_url']}")
        click.echo(f"  Facilitator:     {links['facilitator_url']}")
        click.echo(f"  Projector:       {links['projector_url']}")
        click.echo(f"  Guide (HTML):    {links['guide']['html']}")

    privacy_group = AppGroup("privacy", help="Personal data: retention and deletion.")
    app.cli.add_command(privacy_group)

    @privacy_group.command("purge")
    def purge() -> None:
        """Anonymise every workshop whose retention period is over (run it daily, e.g. from cron)."""
        codes = privacy.purge()
        click.echo(f"Anonymised {len(codes)} workshop(s){': ' + ', '.join(codes) if codes else ''}")

    admin = AppGroup("admin", help="Organiser accounts.")
    app.cli.add_command(admin)

    @admin.command("create")
    @click.argument("email")
    @click.option("--password", envvar="ADMIN_PASSWORD", prompt=True, hide_input=True,
                  confirmation_prompt=True, help="Asked for when not given (or set ADMIN_PASSWORD).")
    def create_admin(email: str, password: str) -> None:
        """Create an administrator account (the first one, or another)."""
        try:
            account = accounts.create_account(email, password, is_admin=True)
        except DomainError as exc:
            raise click.ClickException(gettext(exc.message, **exc.params)) from exc
        click.echo(f"Administrator {account.email} created.")

    @admin.command("disable")
    @click.argument("email")
    @click.option("--enable", is_flag=True, help="Enable the account again instead.")
    def disable_account(email: str, enable: bool) -> None:
        """Disable an organiser account: no sign-in by password or by the OpenID provider, and its
        open sessions end at their next request."""
        account = oidc_accounts.set_disabled(email, disabled=not enable)
        if account is None:
            raise click.ClickException(f"There is no account {email}.")
        click.echo(f"Account {account.email} {'enabled' if enable else 'disabled'}.")
