/**
 * The settings tab's state: the member space's language, kept on this device; for those who may, the
 * cell's relays and its blog snippet. An element's `lang`
 * attribute wins; without one, the language chosen here last, else the page's.
 */
import type { ReactiveController, ReactiveControllerHost } from "lit";
import { hasRight } from "../../../../core/index.js";
import type { Lang } from "../../../../core/public/strings/index.js";
import type { Run } from "../../actions.js";
import type { BlogSnippets } from "../../snippet.js";
import type { TabContext, TabView } from "../tab.js";
import { relaysView } from "./relays-view.js";
import { settingsView } from "./settings-view.js";

/** Where the member space keeps the language chosen in its settings. */
const LANG_KEY = "cellule-app-lang";

/** The element whose language the settings choose (`<cell-app>`'s `lang` attribute). */
export interface LocaleHost extends ReactiveControllerHost {
  locale: string | null;
}

/** See the module comment. */
export class SettingsController implements ReactiveController, TabView {
  /** `snippets`: the open cell's blog snippet, for those who may publish. */
  constructor(
    private readonly host: LocaleHost,
    private readonly run: Run,
    private readonly snippets: () => BlogSnippets | undefined,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.host.locale ??= localStorage.getItem(LANG_KEY) ?? document.documentElement.lang;
  }

  view({ t, lang, cell }: TabContext) {
    const mayRelay = hasRight(cell.state.rules, cell.me()?.roles ?? [], "set-relays");
    const relays = mayRelay
      ? relaysView(t, cell.state.relays, (list) => this.run(() => cell.setRelays(list)))
      : undefined;
    return settingsView(t, lang, (chosen) => this.choose(chosen), relays, this.snippets());
  }

  private choose(lang: Lang): void {
    localStorage.setItem(LANG_KEY, lang);
    this.host.locale = lang;
    document.documentElement.lang = lang;
  }
}
