/**
 * The baseline of `edition-serve`: a plain node:http server answering every GET with the same bytes and
 * the same headers a relay sends for an edition (no routing, no ETag check, no rate limit). Run as a
 * child process: `node --import tsx bench/edition-static-server.ts <file>`; prints `listening on
 * http://127.0.0.1:<port>` once ready; SIGTERM stops it.
 */
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

const body = readFileSync(process.argv[2]!);
const headers = {
  "Access-Control-Allow-Origin": "*",
  "Content-Type": "application/json; charset=utf-8",
  "Cache-Control": "public, max-age=60",
  ETag: '"bench"',
  "Content-Length": body.length,
};
const server = createServer((_req, res) => {
  res.writeHead(200, headers);
  res.end(body);
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}\n`);
});
process.once("SIGTERM", () => server.close(() => process.exit(0)));
