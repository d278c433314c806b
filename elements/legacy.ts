/**
 * Entry of the legacy widget build (`cellule.iife.js`, a classic script for sites that cannot load modules):
 * the WebCrypto shim for old engines first (it changes nothing in current ones), then every widget.
 */
import "webcrypto-shim";
import "./define-all.js";
