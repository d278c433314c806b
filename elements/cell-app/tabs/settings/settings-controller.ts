/**
 * The settings tab's state: the member space's language, kept on this device; for those who may, the
 * cell's relays and its blog snippet; erasing this device (asked, then confirmed). An element's `lang`
 * attribute wins; without one, the language chosen here last, else the page's.
 */
import type { ReactiveController, ReactiveControllerHost } from "lit";
import { hasRight } from "../../../../core/index.js";
import type { Lang } from "../../../../core/public/strings/index.js";
import type { Run } from "../../actions.js";
import type { BlogSnippets } from "../../snippet.js";
import type { TabContext, TabView } from "../tab.js";
import { eraseView } from "./erase-view.js";
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
  /** The person asked to erase this device and has not confirmed yet. */
  private erasing = false;

  /** `snippets`: the open cell's blog snippet, for those who may publish. */
  constructor(
    private readonly host: LocaleHost,
    private readonly run: Run,
    private readonly snippets: () => BlogSnippets | undefined,
    private readonly erase: () => Promise<void>,
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
    const erase = eraseView(t, this.erasing, {
      ask: () => this.ask(true),
      cancel: () => this.ask(false),
      erase: () => this.run(() => this.erase()),
    });
    return settingsView(t, lang, (chosen) => this.choose(chosen), relays, this.snippets(), erase);
  }

  /** Shows or hides the confirmation of erasing this device. */
  private ask(erasing: boolean): void {
    this.erasing = erasing;
    this.host.requestUpdate();
  }

  private choose(lang: Lang): void {
    localStorage.setItem(LANG_KEY, lang);
    this.host.locale = lang;
    document.documentElement.lang = lang;
  }
}
