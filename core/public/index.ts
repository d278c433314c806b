/** The cell's public face: content, editions, their verification and publication. */
export * from "./contact.js";
export * from "./content.js";
export * from "./documents.js";
export * from "./edition.js";
export * from "./format.js";
export * from "./publisher.js";
export * from "./verify.js";
