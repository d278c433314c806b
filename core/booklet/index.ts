/** The membership booklet: people the cell knows, search, CSV. */
export * from "./booklet.js";
export { decodeCsvBytes, parseCsv, toCsv } from "./csv.js";
export * from "./exchange.js";
export * from "./person.js";
export * from "./search.js";
