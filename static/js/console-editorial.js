// The editorial layer on the console: the facilitator's own words for the guide. A conclusion and
// next steps for the whole workshop; per theme a short synthesis, contributions chosen as quotes
// (the server proposes the most representative ones, pre-ticked until the theme is first saved)
// and the decision on support material, taken from a participant's proposal or written anew.
//
// Each part is its own form and is saved as a new version; the form remembers the version it was
// loaded at, so a save over someone else's newer one is refused by the server and never lost
// silently. The panel loads once (editorial.get); a part saved elsewhere (another tab, a
// co-facilitator, the organiser over the API) is shown at once in a part nobody is typing in, and
// never overwrites a form being typed in: there the newer version shows a notice with a button to
// load it. Once the guide is final every field is read-only.

import { h, swap } from "./dom.js";
import { t, formatNumber } from "./i18n.js";

const KINDS = ["checklist", "template", "guide", "training", "network", "examples", "other"];

export function editorialPanel(ctx) {
  const body = h("div", { class: "editorial-body" }, h("p", { class: "loading", text: t("editorial.loading") }));
  const el = h("section", { class: "card panel editorial-card", id: "editorial-card", "aria-labelledby": "editorial-heading" },
    h("h2", { id: "editorial-heading", text: t("editorial.heading") }),
    h("p", { class: "hint", id: "editorial-explain", text: t("editorial.explain") }),
    body);
  let data = null;
  let loading = false;
  let themesKey = "";
  let finalised = false;
  const forms = new Map(); // scope -> { version, newer, dirty, notice }

  async function load() {
    if (loading) return;
    loading = true;
    const ack = await ctx.act("editorial.get", {});
    loading = false;
    if (!ack || !ack.ok) return;
    data = ack.editorial;
    forms.clear();
    render();
  }

  function part(scope, version) {
    const entry = { version, newer: 0, dirty: false, el: null,
                    notice: h("div", { class: "editorial-notice", role: "status" }) };
    forms.set(scope, entry);
    return entry;
  }

  function showNotice(entry) {
    swap(entry.notice, entry.newer > entry.version
      ? [h("p", { class: "small", text: t("editorial.newer", { version: formatNumber(entry.newer) }) }),
         h("button", { type: "button", class: "btn btn-small", text: t("editorial.reload"), onclick: load })]
      : null);
  }

  function versionText(version) {
    return version ? t("editorial.version", { version: formatNumber(version) }) : t("editorial.not_saved");
  }

  async function save(scope, event, payload, versionEl, done) {
    const entry = forms.get(scope);
    const ack = await ctx.act(event, { ...payload, version: entry.version });
    if (!ack || !ack.ok) {
      if (ack && ack.error && ack.error.code === "editorial_stale") {
        entry.newer = Math.max(entry.newer, entry.version + 1);
        showNotice(entry);
      }
      return false;
    }
    entry.version = ack.version;
    entry.dirty = false;
    versionEl.textContent = versionText(entry.version);
    showNotice(entry);
    ctx.announce(ack.duplicate ? t("editorial.unchanged") : t("editorial.saved", { part: done, version: formatNumber(ack.version) }));
    return true;
  }

  function textarea(id, label, value, max, rows, describedby) {
    const field = h("textarea", { id, "data-key": id, rows, maxlength: max, value: value || "",
                                  "aria-describedby": describedby || null });
    return [field, h("div", { class: "field" }, h("label", { class: "label", for: id, text: label }), field)];
  }

  function workshopForm(top) {
    const entry = part("workshop", top.version);
    const [conclusion, conclusionField] = textarea("editorial-conclusion", t("editorial.conclusion"), top.conclusion, 4000, 4);
    const [steps, stepsField] = textarea("editorial-next-steps", t("editorial.next_steps"), top.next_steps, 4000, 4,
                                         "editorial-next-steps-hint");
    const version = h("p", { class: "small muted editorial-version", text: versionText(top.version) });
    const form = h("form", { class: "stack editorial-workshop", id: "editorial-workshop", novalidate: true,
                             "aria-labelledby": "editorial-workshop-heading",
                             oninput: () => { entry.dirty = true; } },
      h("h3", { id: "editorial-workshop-heading", text: t("editorial.workshop_heading") }),
      h("fieldset", { class: "plain-fieldset", disabled: finalised },
        conclusionField, stepsField,
        h("p", { class: "hint", id: "editorial-next-steps-hint", text: t("editorial.next_steps_hint") }),
        h("div", { class: "button-row" },
          h("button", { type: "submit", class: "btn btn-primary btn-small", id: "editorial-save-workshop",
                        text: t("editorial.save_workshop") }),
          version)),
      entry.notice);
    entry.el = form;
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      save("workshop", "editorial.set", { conclusion: conclusion.value, next_steps: steps.value }, version,
           t("editorial.workshop_heading"));
    });
    return form;
  }

  function quoteChoices(theme, prefix) {
    const chosen = new Set(theme.version ? theme.quotes : theme.proposed_quotes);
    const boxes = [];
    const list = h("ul", { class: "plain-list editorial-quotes" }, theme.candidates.map((c) => {
      const id = `${prefix}-quote-${c.item_id}`;
      const box = h("input", { type: "checkbox", id, "data-key": id, value: String(c.item_id), checked: chosen.has(c.item_id) });
      boxes.push(box);
      return h("li", { class: "check editorial-quote-choice" }, box,
        h("label", { for: id },
          h("span", { lang: data.language || null, text: `“${c.text}”` }), " ",
          h("span", { class: "small muted", text: t("editorial.ref", { ref: formatNumber(c.ref) }) }),
          c.mentions > 1 ? h("span", { class: "small muted", text: ` · ${t("editorial.said", { n: formatNumber(c.mentions) })}` }) : null,
          c.proposed ? h("span", { class: "badge badge-proposed", text: t("editorial.proposed") }) : null));
    }));
    const fieldset = h("fieldset", { class: "editorial-fieldset", "aria-describedby": `${prefix}-quotes-hint` },
      h("legend", { text: t("editorial.quotes") }),
      h("p", { class: "hint", id: `${prefix}-quotes-hint`, text: t("editorial.quotes_hint") }),
      theme.candidates.length ? list : h("p", { class: "muted", text: t("editorial.no_contributions") }));
    return [fieldset, () => boxes.filter((b) => b.checked).map((b) => Number(b.value))];
  }

  function decisionFields(theme, prefix) {
    const support = theme.support || {};
    const kindId = `${prefix}-kind`;
    const kind = h("select", { id: kindId, "data-key": kindId },
      h("option", { value: "", text: t("editorial.kind_none"), selected: !support.kind }),
      KINDS.map((key) => h("option", { value: key, text: t(`support.type.${key}`), selected: support.kind === key })));
    const [description, descriptionField] = textarea(`${prefix}-decision`, t("editorial.decision"), support.description, 500, 2);
    const ownerId = `${prefix}-owner`;
    const owner = h("input", { id: ownerId, "data-key": ownerId, type: "text", maxlength: 120, value: support.owner || "",
                               autocomplete: "off" });
    const dueId = `${prefix}-due`;
    const due = h("input", { id: dueId, "data-key": dueId, type: "date", value: support.due || "" });
    let proposalId = support.proposal_id || null;
    const fromId = `${prefix}-from`;
    const from = theme.proposals.length ? h("select", { id: fromId, "data-key": fromId, onchange: () => {
      const chosen = theme.proposals.find((p) => String(p.id) === from.value);
      proposalId = chosen ? chosen.id : null;
      if (chosen) {
        kind.value = chosen.type;
        description.value = chosen.description;
      }
    } },
    h("option", { value: "", text: t("editorial.from_none"), selected: !proposalId }),
    theme.proposals.map((p) => h("option", { value: String(p.id), selected: proposalId === p.id,
                                             text: `${t(`support.type.${p.type}`)}: ${p.description}` }))) : null;
    const fieldset = h("fieldset", { class: "editorial-fieldset" },
      h("legend", { text: t("editorial.decision_heading") }),
      from ? h("div", { class: "field" }, h("label", { class: "label", for: fromId, text: t("editorial.from_proposal") }), from)
        : h("p", { class: "hint", text: t("editorial.no_proposals") }),
      h("div", { class: "field" }, h("label", { class: "label", for: kindId, text: t("editorial.kind") }), kind),
      descriptionField,
      h("div", { class: "field-row" },
        h("div", { class: "field" }, h("label", { class: "label", for: ownerId, text: t("editorial.owner") }), owner),
        h("div", { class: "field" }, h("label", { class: "label", for: dueId, text: t("editorial.due") }), due)));
    const values = () => ({
      support_kind: kind.value || null, support_description: description.value, support_owner: owner.value,
      support_due: due.value || null,
      // A proposal counts as the source only while its words are still the ones decided.
      proposal_id: theme.proposals.some((p) => p.id === proposalId && p.description === description.value.trim())
        ? proposalId : null,
    });
    return [fieldset, values];
  }

  function themeForm(theme) {
    const scope = `theme-${theme.theme_id}`;
    const prefix = `editorial-t${theme.theme_id}`;
    const entry = part(scope, theme.version);
    const [synthesis, synthesisField] = textarea(`${prefix}-synthesis`, t("editorial.synthesis"), theme.synthesis, 2000, 3);
    const [quotes, chosen] = quoteChoices(theme, prefix);
    const [decision, decided] = decisionFields(theme, prefix);
    const version = h("p", { class: "small muted editorial-version", text: versionText(theme.version) });
    const name = theme.rank ? `${formatNumber(theme.rank)}. ${theme.name}` : theme.name;
    const form = h("form", { class: "stack", id: `${prefix}-form`, novalidate: true, oninput: () => { entry.dirty = true; } },
      h("fieldset", { class: "plain-fieldset", disabled: finalised },
        synthesisField, quotes, decision,
        h("div", { class: "button-row" },
          h("button", { type: "submit", class: "btn btn-primary btn-small", id: `${prefix}-save`,
                        text: t("editorial.save_theme", { theme: theme.name }) }),
          version)),
      entry.notice);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      save(scope, "theme.editorial.set", { theme_id: theme.theme_id, synthesis: synthesis.value, quotes: chosen(), ...decided() },
           version, theme.name);
    });
    entry.el = h("details", { class: "editorial-theme", "data-theme": String(theme.theme_id), open: theme.version > 0 },
      h("summary", { class: "panel-summary" }, h("h4", { lang: data.language || null, text: name })),
      form);
    return entry.el;
  }

  /** Show a part as saved elsewhere, in place: the rest of the panel, and any form being typed
   * in, stay as they are; a part being typed in meanwhile gets the notice instead. */
  async function showSaved(scope, version) {
    const ack = await ctx.act("editorial.get", {});
    const entry = forms.get(scope);
    if (!ack || !ack.ok || !entry || !entry.el || version <= entry.version) return;
    if (entry.dirty) {
      showNotice(entry);
      return;
    }
    const fresh = ack.editorial;
    let made = null;
    let name = "";
    if (scope === "workshop") {
      data.workshop = fresh.workshop;
      made = workshopForm(data.workshop);
      name = t("editorial.workshop_heading");
    } else {
      const theme = fresh.themes.find((entry) => `theme-${entry.theme_id}` === scope);
      const at = data.themes.findIndex((entry) => `theme-${entry.theme_id}` === scope);
      if (!theme || at < 0) return;
      data.themes[at] = theme;
      made = themeForm(theme);
      made.open = entry.el.open || made.open;
      name = theme.name;
    }
    const focused = entry.el.contains(document.activeElement) ? document.activeElement.id : null;
    entry.el.replaceWith(made);
    if (focused && document.getElementById(focused)) document.getElementById(focused).focus();
    ctx.announce(t("editorial.saved_elsewhere", { part: name, version: formatNumber(forms.get(scope).version) }));
  }

  function render() {
    if (!data) return;
    finalised = data.finalised;
    swap(body,
      finalised ? h("p", { class: "editorial-final", role: "status", text: t("editorial.final") }) : null,
      workshopForm(data.workshop),
      h("h3", { text: t("editorial.themes_heading") }),
      data.themes.length ? data.themes.map(themeForm) : h("p", { class: "muted", text: t("projector.waiting_themes") }));
  }

  return {
    el,
    update(state) {
      if (data) data.language = state.workshop.language;
      const review = state.review || {};
      const key = JSON.stringify([(state.themes || []).map((theme) => [theme.id, theme.name]), Boolean(review.finalised)]);
      if (key === themesKey && data) return;
      themesKey = key;
      // Themes renamed, added or the guide made final: load again, unless a form is being typed in.
      if (!data || ![...forms.values()].some((entry) => entry.dirty)) load();
    },
    /** A part was saved (here or elsewhere): shown at once where nobody is typing in it, else
     * offered with a notice; never overwrites a form being typed in. */
    changed(change) {
      const info = change.data || {};
      const entry = forms.get(info.scope);
      if (!entry || !(info.version > entry.version)) return;
      entry.newer = Math.max(entry.newer, info.version);
      if (entry.dirty || finalised) showNotice(entry);
      else showSaved(info.scope, info.version);
    },
  };
}
