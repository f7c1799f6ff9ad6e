/**
 * The report as one self-contained HTML file: inline CSS and inline SVG, no script, font or
 * stylesheet fetched, so it opens offline. Every text from a trace is escaped; the SVGs are
 * Graphviz's, which escapes its labels. Stable data attributes let tests find each part:
 * `data-trace`, `data-step` (0 is the initial state), `data-lane`, `data-lane-step`.
 */
import type { SectionView, StepView } from "./trace-report.js";

/** Text safe inside HTML elements and quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const CSS = `
body { font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; margin: 1.5em; color: #222; }
h1 { font-size: 1.5em; } h2 { font-size: 1.25em; border-bottom: 2px solid #ccc; padding-bottom: .2em; margin-top: 2em; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .1em 1em; } dl.facts dt { font-weight: bold; }
.notes { background: #fdf6e3; padding: .5em 1em; border-left: 4px solid #e0a800; }
.lanes { display: flex; gap: 2px; overflow-x: auto; margin: 1em 0; border: 1px solid #ddd; padding: 4px; }
.lane { flex: 1 1 0; min-width: 9em; background: #f6f8fa; }
.lane-name { font-weight: bold; text-align: center; padding: .3em; background: #e1e7ee; white-space: nowrap; }
.lane-body { display: grid; grid-auto-rows: 2.2em; }
.lane-body.numbers { text-align: right; padding-right: .4em; color: #666; }
.lane.numbers { flex: 0 0 3em; min-width: 3em; }
.mark { margin: 2px 4px; padding: 0 .4em; background: #2e6fd1; color: #fff; border-radius: 4px; font: 12px/2em monospace; overflow: hidden; white-space: nowrap; text-overflow: ellipsis; }
.mark.last { background: #c0392b; }
.step { border: 1px solid #ddd; border-radius: 6px; margin: 1em 0; padding: .5em 1em; }
.step.last { border-color: #c0392b; }
.step h3 { margin: .2em 0; font-size: 1.05em; } .step h3 code { font-size: 1em; }
.cite, .lock { color: #555; font-size: .9em; }
.picture svg { max-width: 100%; height: auto; }
`;

/** The whole report: a heading, then one section per trace. */
export function renderReport(title: string, sections: readonly SectionView[]): string {
  return [
    "<!DOCTYPE html>",
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title><style>${CSS}</style></head><body>`,
    `<h1>${escapeHtml(title)}</h1>`,
    ...sections.map((s, i) => renderSection(s, i)),
    "</body></html>",
    "",
  ].join("\n");
}

function renderSection(s: SectionView, index: number): string {
  const facts = s.facts.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join("");
  const notes = s.notes.length > 0 ? `<div class="notes">${s.notes.map((l) => `<p>${escapeHtml(l)}</p>`).join("")}</div>` : "";
  return [
    `<article class="trace" data-trace="${index}">`,
    `<h2>${escapeHtml(s.title)}</h2>`,
    `<dl class="facts">${facts}</dl>`,
    notes,
    "<h3>Swim lanes</h3>",
    renderLanes(s),
    "<h3>Steps</h3>",
    renderInitial(s),
    ...s.steps.map((st) => renderStep(st, st.n === s.steps.length)),
    "</article>",
  ].join("\n");
}

/** One column per lane and one row per step: each step's mark sits in its lane's column, on its own row. */
function renderLanes(s: SectionView): string {
  const rows = `grid-template-rows: repeat(${s.steps.length}, 2.2em)`;
  const numbers = s.steps.map((st) => `<div style="grid-row: ${st.n}">${st.n}</div>`).join("");
  const lanes = s.lanes.map((lane) => {
    const marks = s.steps.filter((st) => st.story.lane === lane).map((st) => {
      const cls = st.n === s.steps.length ? "mark last" : "mark";
      return `<div class="${cls}" data-lane-step="${st.n}" style="grid-row: ${st.n}" title="${escapeHtml(st.story.text)}">${st.n}. ${escapeHtml(st.label)}</div>`;
    });
    return `<div class="lane" data-lane="${escapeHtml(lane)}"><div class="lane-name">${escapeHtml(lane)}</div><div class="lane-body" style="${rows}">${marks.join("")}</div></div>`;
  });
  return `<div class="lanes"><div class="lane numbers"><div class="lane-name">#</div><div class="lane-body numbers" style="${rows}">${numbers}</div></div>${lanes.join("")}</div>`;
}

function renderInitial(s: SectionView): string {
  const lines = s.initial.lines.map((l) => `<p>${escapeHtml(l)}</p>`).join("");
  return `<section class="step" data-step="0"><h3>0. initial state</h3>${lines}<div class="picture">${s.initial.svg}</div></section>`;
}

function renderStep(st: StepView, last: boolean): string {
  const { story } = st;
  const parts = [
    `<h3>${st.n}. <code>${escapeHtml(st.label)}</code> <span class="lane-tag">[${escapeHtml(story.lane)}]</span></h3>`,
    `<p class="story">${escapeHtml(story.text)}</p>`,
    story.cite !== "" ? `<p class="cite">${escapeHtml(story.cite)}</p>` : "",
    story.lock !== undefined ? `<p class="lock">${escapeHtml(story.lock)}</p>` : "",
    story.changes.length > 0 ? `<ul class="changes">${story.changes.map((c) => `<li>${escapeHtml(c)}</li>`).join("")}</ul>` : "",
    `<div class="picture">${st.svg}</div>`,
  ];
  return `<section class="step${last ? " last" : ""}" data-step="${st.n}">${parts.join("")}</section>`;
}
