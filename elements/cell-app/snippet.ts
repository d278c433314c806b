/**
 * What a blogger pastes to show a cell on their blog, made for one cell and its relays: the HTML (the
 * widget kit's script and the widgets), a SPIP modèle and a WordPress must-use plugin (the same shapes
 * as the README's "For bloggers"). Every widget names the cell on each relay, so it tries the next one when
 * a relay is down; the join button names this member space when it is not on a relay.
 */

/** The three forms of the snippet. */
export interface BlogSnippets {
  html: string;
  spip: string;
  wordpress: string;
}

/** Escapes text for an HTML attribute value in double quotes. */
const attribute = (text: string): string =>
  text.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** A PHP single-quoted string literal. */
const php = (text: string): string => `'${text.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;

/**
 * The snippets for `cellId` on `relays` (base URLs, the first serving the widget kit). `app` is this member
 * space's address when no relay serves it (the join button's `app` attribute), else undefined.
 */
export function blogSnippets(cellId: string, relays: readonly string[], app?: string): BlogSnippets {
  const bases = relays.map((r) => r.replace(/\/+$/, ""));
  const script = `${bases[0]}/widgets/cellule.js`;
  const cell = attribute(bases.map((b) => `${b}/c/${cellId}`).join(" "));
  const appAttribute = app ? ` app="${attribute(app)}"` : "";
  const html = [
    `<script type="module" src="${attribute(script)}"></script>`,
    "",
    `<cell-card cell="${cell}">`,
    `  <cell-join cell="${cell}"${appAttribute}></cell-join>`,
    "</cell-card>",
    `<cell-journal cell="${cell}" limit="5"></cell-journal>`,
    `<cell-events cell="${cell}"></cell-events>`,
    `<cell-contact cell="${cell}"></cell-contact>`,
  ].join("\n");
  const spip = [
    `<script type="module" src="${attribute(script)}"></script>`,
    "#SET{w,[(#ENV{widget}|in_array{#LISTE{card,journal,events,contact,join}}|?{#ENV{widget},journal})]}",
    `<cell-#GET{w} cell="[(#ENV{cell,${cell}}|attribut_html)]"`,
    `  lang="[(#ENV{lang,fr}|attribut_html)]" limit="[(#ENV{limit,5}|attribut_html)]"${appAttribute}></cell-#GET{w}>`,
  ].join("\n");
  const wordpress = [
    "<?php",
    "/* Plugin Name: Cellule widgets */",
    `const CELLULE_SCRIPT = ${php(script)};`,
    `const CELLULE_CELL = ${php(bases.map((b) => `${b}/c/${cellId}`).join(" "))};`,
    `const CELLULE_APP = ${php(app ?? "")};`,
    "add_shortcode('cellule', function ($atts) {",
    "    $a = shortcode_atts(['widget' => 'journal', 'cell' => CELLULE_CELL, 'lang' => 'fr', 'limit' => '5'], $atts);",
    "    $widget = in_array($a['widget'], ['card', 'journal', 'events', 'contact', 'join'], true) ? $a['widget'] : 'journal';",
    "    wp_enqueue_script_module('cellule', CELLULE_SCRIPT);",
    `    $app = CELLULE_APP === '' ? '' : sprintf(' app="%s"', esc_attr(CELLULE_APP));`,
    '    return sprintf(\'<cell-%1$s cell="%2$s" lang="%3$s" limit="%4$s"%5$s></cell-%1$s>\',',
    "        $widget, esc_attr($a['cell']), esc_attr($a['lang']), esc_attr($a['limit']), $app);",
    "});",
  ].join("\n");
  return { html, spip, wordpress };
}
