/**
 * Entry of the member space's script (`cellule-app.js`): the WebCrypto shim for old engines, then
 * `<cell-app>`, registered once.
 */
import "webcrypto-shim";
import { defineElement } from "../define.js";
import { CellApp } from "./cell-app.js";

defineElement("cell-app", CellApp);
