/** What keyless widgets and other readers of a cell's public face use: verify, read, seal a contact. */
export * from "./contact.js";
export * from "./content.js";
export * from "./links.js";
export * from "./text.js";
export * from "./verify.js";
