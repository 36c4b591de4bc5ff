"""Strings the browser modules show, translated on the server for the current locale.

base.html renders ``client_strings()`` into a JSON data block, and ``static/js/i18n.js`` reads it;
the browser never loads a catalog. Keys are stable identifiers used by the JavaScript; values are
msgids in English (the source language), extracted by Babel like any other ``lazy_gettext``.
Placeholders use ``%(name)s``; the client substitutes them. Plurals for English and Swedish are
two keys, ``<key>.one`` and ``<key>.other``.
"""
from __future__ import annotations

from flask_babel import lazy_gettext

CLIENT_STRINGS = {
    # Generic actions
    "action.cancel": lazy_gettext("Cancel"),
    "action.delete": lazy_gettext("Delete"),
    "action.discard": lazy_gettext("Remove"),
    "action.discard_item": lazy_gettext("Remove unsent item “%(text)s”"),
    "action.dismiss": lazy_gettext("Dismiss"),
    "action.rename": lazy_gettext("Rename"),
    "action.retry": lazy_gettext("Retry"),
    "action.save": lazy_gettext("Save"),
    "action.try_again": lazy_gettext("Try again"),
    # Connection
    "conn.online": lazy_gettext("Online"),
    "conn.offline": lazy_gettext("Offline — your items are kept on this device and sent when you're back"),
    "conn.connecting": lazy_gettext("Connecting…"),
    "conn.lost": lazy_gettext("Connection lost — reconnecting…"),
    "conn.back_online": lazy_gettext("Back online — everything is sent"),
    "conn.catching_up": lazy_gettext("Back online — sending what you wrote…"),
    # Errors
    "error.generic": lazy_gettext("Something went wrong. Please try again."),
    "error.offline": lazy_gettext("You are offline. Nothing was sent; try again when you are back online."),
    "error.timeout": lazy_gettext("The server did not answer in time. Please try again."),
    # Phases
    "phase.changed": lazy_gettext("New phase: %(phase)s"),
    "phase.step": lazy_gettext("step %(n)s of %(total)s"),
    "phase.confirm_close": lazy_gettext("Close the workshop? Participants can no longer add or change anything."),
    # Status badges
    "status.sending": lazy_gettext("Sending…"),
    "status.saved": lazy_gettext("Saved"),
    "status.failed": lazy_gettext("Not sent"),
    "status.not_sent": lazy_gettext("Not saved"),
    "status.unsaved": lazy_gettext("Changes not saved yet"),
    "status.waiting": lazy_gettext("Waiting for connection"),
    # Joining
    "join.loading": lazy_gettext("Loading the workshop…"),
    "join.load_failed": lazy_gettext("The workshop could not be loaded. Check your connection and try again."),
    "join.heading": lazy_gettext("Join the workshop"),
    "join.perspective": lazy_gettext("Which perspective do you bring?"),
    "join.choose_perspective": lazy_gettext("Choose the perspective closest to yours."),
    "join.name": lazy_gettext("Your name (optional)"),
    "join.name_hint": lazy_gettext("Leave empty to stay anonymous"),
    "join.submit": lazy_gettext("Join"),
    "join.network_error": lazy_gettext("Could not reach the server. Check your connection and try again."),
    "me.anonymous": lazy_gettext("You take part anonymously as: %(perspective)s"),
    "me.named": lazy_gettext("You take part as %(name)s (%(perspective)s)"),
    "perspective.unknown": lazy_gettext("No perspective"),
    # Collect
    "collect.intro": lazy_gettext("Write one thought per item. Send as many items as you like."),
    "compose.heading": lazy_gettext("Write an item"),
    "compose.lane": lazy_gettext("Kind of item"),
    "compose.text_label": lazy_gettext("Your text"),
    "compose.empty": lazy_gettext("Write something first."),
    "compose.send": lazy_gettext("Send"),
    "item.saved_announce": lazy_gettext("Your item was saved."),
    "item.failed_announce": lazy_gettext("Your item was not sent."),
    "item.yours": lazy_gettext("yours"),
    "item.paper": lazy_gettext("Paper note"),
    "mine.heading.one": lazy_gettext("Your items (%(n)s)"),
    "mine.heading.other": lazy_gettext("Your items (%(n)s)"),
    "mine.unsent_heading": lazy_gettext("Your unsent items"),
    "mine.empty": lazy_gettext("You haven't sent anything yet."),
    # Aggregate
    "aggregate.heading": lazy_gettext("The facilitator is grouping items into themes"),
    "aggregate.intro": lazy_gettext("Follow along here or on the big screen. Speak up if something belongs elsewhere."),
    "aggregate.no_themes": lazy_gettext("No themes yet."),
    "aggregate.ungrouped.one": lazy_gettext("%(n)s item not in a theme yet"),
    "aggregate.ungrouped.other": lazy_gettext("%(n)s items not in a theme yet"),
    "theme.items.one": lazy_gettext("%(n)s item"),
    "theme.items.other": lazy_gettext("%(n)s items"),
    # Voting
    "vote.heading": lazy_gettext("Place your dots on what matters most"),
    "vote.rules": lazy_gettext("You have %(dots)s dots. Put at most %(max)s on one theme. You can change them until voting closes."),
    "vote.left": lazy_gettext("%(left)s of %(total)s dots left"),
    "vote.dots.one": lazy_gettext("%(n)s dot"),
    "vote.dots.other": lazy_gettext("%(n)s dots"),
    "vote.add_dot": lazy_gettext("Add a dot to “%(theme)s”"),
    "vote.remove_dot": lazy_gettext("Remove a dot from “%(theme)s”"),
    "vote.max_reached": lazy_gettext("At most %(max)s dots on one theme."),
    "vote.none_left": lazy_gettext("No dots left. Remove one from another theme first."),
    "vote.save": lazy_gettext("Save my votes"),
    "vote.saved_announce": lazy_gettext("Your votes were saved."),
    "vote.offline": lazy_gettext("You are offline: your votes were not sent. They will be sent when you are back online."),
    # Results
    "results.heading": lazy_gettext("Results"),
    "results.empty": lazy_gettext("No votes yet."),
    "results.rank": lazy_gettext("Rank %(rank)s"),
    "results.rank_tied": lazy_gettext("Shared rank %(rank)s"),
    "results.dots.one": lazy_gettext("%(n)s dot"),
    "results.dots.other": lazy_gettext("%(n)s dots"),
    "results.voters.one": lazy_gettext("%(n)s voter"),
    "results.voters.other": lazy_gettext("%(n)s voters"),
    "results.rules": lazy_gettext("Dot voting: %(dots)s dots each, at most %(max)s on one theme."),
    "results.reveal": lazy_gettext("Reveal results"),
    "results.hide": lazy_gettext("Hide results"),
    "results.hidden_note": lazy_gettext("Results stay hidden from everyone until you reveal them, so people vote freely."),
    "results.revealed_announce": lazy_gettext("The results are shown."),
    "turnout.text": lazy_gettext("%(voted)s of %(total)s have voted"),
    # Advice
    "advice.heading": lazy_gettext("Your advice to people doing needs assessment"),
    "advice.hint": lazy_gettext("One concrete piece of advice. You can edit it until this phase closes."),
    "advice.save": lazy_gettext("Save advice"),
    "advice.saved_announce": lazy_gettext("Your advice was saved."),
    "advice.offline": lazy_gettext("You are offline: your advice was not sent. It will be sent when you are back online."),
    "advice.none": lazy_gettext("No advice yet."),
    "advice.room.one": lazy_gettext("%(n)s piece of advice from the room"),
    "advice.room.other": lazy_gettext("%(n)s pieces of advice from the room"),
    # Closed and waiting phases
    "closed.heading": lazy_gettext("Thank you for taking part!"),
    "closed.intro": lazy_gettext("The workshop is closed. Your contributions go into the support guide."),
    "closed.your_advice": lazy_gettext("Your advice"),
    "closed.top_themes": lazy_gettext("Top themes"),
    "waiting.present.heading": lazy_gettext("Sharing experiences"),
    "waiting.present.intro": lazy_gettext("Items are being presented. Listen, and tell the room about your experience."),
    "waiting.concretise.heading": lazy_gettext("Turning themes into support"),
    "waiting.concretise.intro": lazy_gettext("The group is discussing what concrete support would help with the top themes."),
    "waiting.other.heading": lazy_gettext("Please wait"),
    "waiting.other.intro": lazy_gettext("The facilitator will open the next step shortly."),
    # Facilitator console
    "items.heading.one": lazy_gettext("%(n)s item"),
    "items.heading.other": lazy_gettext("%(n)s items"),
    "items.none": lazy_gettext("Nothing here yet."),
    "items.capped": lazy_gettext("Showing the newest %(shown)s of %(total)s."),
    "themes.heading.one": lazy_gettext("%(n)s theme"),
    "themes.heading.other": lazy_gettext("%(n)s themes"),
    "themes.help": lazy_gettext("Create themes, then choose a theme for each item. Everything works with the keyboard."),
    "theme.none": lazy_gettext("Not in a theme"),
    "theme.move": lazy_gettext("Theme"),
    "theme.move_item": lazy_gettext("Theme for “%(item)s”"),
    "theme.new_label": lazy_gettext("New theme"),
    "theme.create": lazy_gettext("Create theme"),
    "theme.created": lazy_gettext("Theme “%(name)s” created."),
    "theme.empty": lazy_gettext("No items yet. Choose this theme on an item to move it here."),
    "theme.rename_label": lazy_gettext("New name for “%(name)s”"),
    "theme.rename_aria": lazy_gettext("Rename theme “%(name)s”"),
    "theme.delete_aria": lazy_gettext("Delete theme “%(name)s”"),
    "theme.delete_confirm": lazy_gettext("Delete the theme “%(name)s”? Its items go back to “Not in a theme”."),
    "people.count.one": lazy_gettext("%(n)s participant"),
    "people.count.other": lazy_gettext("%(n)s participants"),
    "paper.added": lazy_gettext("The paper note was added."),
    "copy.done": lazy_gettext("Copied."),
    "copy.failed": lazy_gettext("Could not copy: select the link and copy it by hand."),
    # Projector
    "projector.waiting_items": lazy_gettext("Join with your phone and share your first thoughts."),
    "projector.waiting_themes": lazy_gettext("Themes appear here as the facilitator groups the items."),
    "projector.vote_now": lazy_gettext("Vote on your phone: place your dots on the themes that matter most."),
    "projector.waiting_advice": lazy_gettext("Write one piece of advice on your phone."),
    "projector.more": lazy_gettext("and %(n)s more"),
    "projector.thanks": lazy_gettext("Thank you!"),
}


def client_strings() -> dict[str, str]:
    """The client strings in the current locale, ready for ``|tojson``."""
    return {key: str(value) for key, value in CLIENT_STRINGS.items()}
