// The console's set-up panel: who sees authors, the lanes (stages), tags and perspectives, and
// saving the set-up as a template. Also the tag and assessment fields of the paper-note form.

import { h, swap } from "./dom.js";
import { t } from "./i18n.js";
import { ASSESSMENTS, assessmentName } from "./item-marks.js";

const MODES = ["anonymous", "facilitator-only", "named"];
const KINDS = [["lane", "lanes"], ["tag", "tags"], ["perspective", "perspectives"]];

/** ctx: { act(event, payload) -> ack|null, announce(message) } */
export function setupPanel(ctx) {
  const body = h("div", { class: "setup-body" });
  const el = h("section", { class: "card panel setup-card", id: "setup-panel", "aria-labelledby": "setup-heading" },
    h("details", { id: "setup-details" },
      h("summary", { class: "panel-summary" }, h("h2", { id: "setup-heading", text: t("setup.heading") })),
      body));
  let signature = "";
  const drafts = {}; // half-typed names, by field key, kept across live updates

  function field(key, attrs) {
    const input = h("input", {
      type: "text", maxlength: 80, "data-key": key, value: drafts[key] ?? attrs.value ?? "", ...attrs,
      oninput: () => { drafts[key] = input.value; },
    });
    return input;
  }

  function anonymity(state) {
    const current = state.workshop.anonymity || "anonymous";
    let chosen = current;
    return h("form", {
      class: "stack", novalidate: true,
      onsubmit: async (event) => {
        event.preventDefault();
        if (chosen === current) return;
        const ack = await ctx.act("setup.anonymity", { anonymity: chosen });
        if (ack && ack.ok) ctx.announce(t("setup.anonymity_saved", { mode: t(`anonymity.${chosen}`) }));
      },
    },
    h("fieldset", { class: "stack-tight" },
      h("legend", { text: t("setup.anonymity") }),
      MODES.map((mode) => h("label", { class: "check" },
        h("input", {
          type: "radio", name: "anonymity", value: mode, checked: mode === current, "data-key": `anon-${mode}`,
          "aria-describedby": "anonymity-hint", onchange: () => { chosen = mode; },
        }),
        ` ${t(`anonymity.${mode}`)}`))),
    h("p", { class: "hint", id: "anonymity-hint", text: t("setup.anonymity_hint") }),
    h("button", { type: "submit", class: "btn btn-small", "data-key": "anon-apply", text: t("setup.apply") }));
  }

  /** "Something similar is already here" on the phones: applied as soon as it is ticked. */
  function similarHint(state) {
    const box = h("input", {
      type: "checkbox", id: "similar-hint", "data-key": "similar-hint", checked: Boolean(state.workshop.similar_hint),
      "aria-describedby": "similar-hint-help",
      onchange: async () => {
        const ack = await ctx.act("setup.similar_hint", { on: box.checked });
        if (!ack || !ack.ok) box.checked = !box.checked;
      },
    });
    return h("div", { class: "stack-tight" },
      h("label", { class: "check", for: "similar-hint" }, box, ` ${t("setup.similar_hint")}`),
      h("p", { class: "hint", id: "similar-hint-help", text: t("setup.similar_hint_help") }));
  }

  function options(state, kind, listKey) {
    const list = state[listKey] || [];
    const headingId = `setup-${kind}-heading`;
    return h("section", { class: "setup-options", "aria-labelledby": headingId },
      h("h3", { id: headingId, text: t(`setup.${listKey}`) }),
      list.length ? null : h("p", { class: "muted small", text: t("setup.none") }),
      h("ul", { class: "plain-list setup-list" }, list.map((option) => {
        const key = `${kind}-${option.key}`;
        const input = field(`name-${key}`, { value: option.name, "aria-label": t("setup.name_of", { name: option.name }) });
        return h("li", { class: "setup-row" },
          input,
          h("button", {
            type: "button", class: "btn btn-small", "data-key": `rename-${key}`, text: t("action.rename"),
            "aria-label": t("setup.rename_named", { name: option.name }),
            onclick: async () => {
              const name = input.value.trim();
              if (!name || name === option.name) return;
              const ack = await ctx.act("option.rename", { kind, key: option.key, name });
              if (ack && ack.ok) {
                delete drafts[`name-${key}`];
                ctx.announce(t("setup.renamed", { name }));
              }
            },
          }),
          h("button", {
            type: "button", class: "btn btn-small btn-quiet", "data-key": `remove-${key}`, text: t("action.discard"),
            "aria-label": t("setup.remove_named", { name: option.name }),
            onclick: async () => {
              const ack = await ctx.act("option.remove", { kind, key: option.key });
              if (ack && ack.ok) ctx.announce(t("setup.removed", { name: option.name }));
            },
          }));
      })),
      (() => {
        const id = `add-${kind}`;
        const input = field(id, { id, placeholder: "" });
        return h("form", {
          class: "setup-row", novalidate: true,
          onsubmit: async (event) => {
            event.preventDefault();
            const name = input.value.trim();
            if (!name) {
              input.focus();
              return;
            }
            const ack = await ctx.act("option.add", { kind, name });
            if (ack && ack.ok) {
              delete drafts[id];
              input.value = "";
              ctx.announce(t("setup.added", { name }));
            }
          },
        },
        h("label", { class: "visually-hidden", for: id, text: t(`setup.add_${kind}`) }),
        input,
        h("button", { type: "submit", class: "btn btn-small", "data-key": `${id}-button`, text: t(`setup.add_${kind}`) }));
      })());
  }

  function template() {
    const input = field("template-name", { id: "template-name" });
    const status = h("p", { class: "hint", role: "status" });
    return h("form", {
      class: "stack", novalidate: true, "aria-labelledby": "template-heading",
      onsubmit: async (event) => {
        event.preventDefault();
        const name = input.value.trim();
        if (!name) {
          input.focus();
          return;
        }
        const ack = await ctx.act("template.save", { name });
        if (ack && ack.ok) {
          delete drafts["template-name"];
          input.value = "";
          status.textContent = t("setup.template_saved", { name });
        }
      },
    },
    h("h3", { id: "template-heading", text: t("setup.template") }),
    h("label", { class: "label", for: "template-name", text: t("setup.template_name") }),
    input,
    h("button", { type: "submit", class: "btn btn-small", "data-key": "template-save", text: t("setup.template_save") }),
    status);
  }

  return {
    el,
    update(state) {
      const next = JSON.stringify([state.workshop.anonymity, state.lanes, state.tags, state.perspectives,
        state.workshop.similar_hint]);
      if (next === signature) return;
      signature = next;
      swap(body,
        anonymity(state),
        similarHint(state),
        KINDS.map(([kind, listKey]) => options(state, kind, listKey)),
        template());
    },
  };
}

/** The tag and assessment selects of the paper-note form, kept to the workshop's set-up. */
export function paperExtras(container) {
  let signature = "";
  return {
    update(state) {
      const next = JSON.stringify([state.tags, state.workshop.assess_items]);
      if (next === signature) return;
      signature = next;
      const tagValue = container.querySelector("#paper-tag")?.value || "";
      const assessmentValue = container.querySelector("#paper-assessment")?.value || "";
      swap(container,
        state.workshop.assess_items ? h("div", { class: "field" },
          h("label", { class: "label", for: "paper-assessment", text: t("compose.assessment") }),
          h("select", { id: "paper-assessment", name: "assessment", required: true },
            h("option", { value: "", text: t("compose.choose") }),
            ASSESSMENTS.map((key) => h("option", { value: key, selected: key === assessmentValue, text: assessmentName(key) })))) : null,
        (state.tags || []).length ? h("div", { class: "field" },
          h("label", { class: "label", for: "paper-tag", text: t("compose.tag") }),
          h("select", { id: "paper-tag", name: "tag" },
            h("option", { value: "", text: t("compose.no_tag") }),
            state.tags.map((tag) => h("option", { value: tag.key, selected: tag.key === tagValue, text: tag.name })))) : null);
    },
    payload() {
      const payload = {};
      const tag = container.querySelector("#paper-tag")?.value;
      const assessment = container.querySelector("#paper-assessment")?.value;
      if (tag) payload.tag = tag;
      if (assessment) payload.assessment = assessment;
      return payload;
    },
  };
}
