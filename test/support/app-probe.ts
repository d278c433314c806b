/**
 * A stand-in for the member space's script in tests of its page and service worker (the real one takes a
 * minute to build): it marks the page as run, and registers the real service worker with the real notice
 * (updates.ts).
 */
import { registerServiceWorker } from "../../elements/cell-app/updates.js";

document.documentElement.dataset.scriptRan = "yes";
registerServiceWorker();
