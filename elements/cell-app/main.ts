/**
 * Entry of the member space's script (`cellule-app.js`): the WebCrypto shim for old engines, then
 * `<cell-app>`, registered once, and the service worker that keeps the app available offline.
 */
import "webcrypto-shim";
import { defineElement } from "../define.js";
import { CellApp } from "./cell-app.js";

defineElement("cell-app", CellApp);

// Installable and usable offline: the service worker keeps the app's files (see sw.js).
navigator.serviceWorker
  ?.register("sw.js")
  .catch((error) => console.warn("cellule: no offline support:", error));
