/**
 * The member space's service worker, seen from the page: registers sw.js (which keeps the app available
 * offline and checks each update, see sw.js) and shows a notice when the worker refused an update of the
 * app (a release not signed by the key it pinned, or files that do not match it): the app keeps running the
 * release installed before. The worker tells open pages, and records the refusal for pages opened later.
 */
import { appStrings, langOf } from "../../core/public/strings/index.js";

/** The cache where sw.js keeps the pinned release key and the last refusal (see sw.js). */
const PIN = "cellule-app-pin";
const REFUSED = "refused-update";
const NOTICE = "cellule-update-notice";

/** Registers `sw.js` and shows the update notice whenever the worker refuses an update. */
export function registerServiceWorker(script = "sw.js"): void {
  const container = globalThis.navigator?.serviceWorker;
  if (!container) return;
  container.addEventListener("message", (event: MessageEvent) => {
    if ((event.data as { type?: unknown } | null)?.type === "cellule-app-update-refused") showUpdateNotice();
  });
  container.startMessages();
  container.register(script).catch((error) => console.warn("cellule: no offline support:", error));
  void refusedBefore().then((refused) => refused && showUpdateNotice());
}

/** Whether the worker recorded a refused update (and no update installed since). */
async function refusedBefore(): Promise<boolean> {
  try {
    if (!(await caches.has(PIN))) return false;
    return (await (await caches.open(PIN)).match(REFUSED)) !== undefined;
  } catch {
    return false;
  }
}

/** The notice, once, at the top of the page, in the member space's language. */
function showUpdateNotice(): void {
  if (document.querySelector(`.${NOTICE}`)) return;
  const lang = document.querySelector("cell-app")?.getAttribute("lang") ?? document.documentElement.lang;
  const notice = document.createElement("p");
  notice.className = NOTICE;
  notice.setAttribute("role", "alert");
  notice.textContent = appStrings(langOf(lang)).updateRefused;
  document.body.prepend(notice);
}
