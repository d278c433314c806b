/**
 * Entry of the member space's script (`cellule-app.js`): the WebCrypto shim for old engines, then
 * `<cell-app>`, registered once, and the service worker that keeps the app available offline and checks
 * its updates (see sw.js and updates.ts).
 */
import "webcrypto-shim";
import { defineElement } from "../define.js";
import { CellApp } from "./cell-app.js";
import { registerServiceWorker } from "./updates.js";

defineElement("cell-app", CellApp);

// Installable and usable offline: the service worker keeps the app's files (see sw.js).
registerServiceWorker();
