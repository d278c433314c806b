/**
 * The baseline server of the benches: a plain automerge-repo 2.5 sync server, set up the way
 * automerge-repo-sync-server does it (a Repo with NodeFSStorageAdapter and WebSocketServerAdapter on a
 * `ws` server, announcing nothing, serving any document to whoever asks). No signatures, no encryption.
 *
 * Run as a child process by bench/support.ts: `node --import tsx bench/sync-server.ts <dataDir>`. Prints
 * `sync server listening on ws://127.0.0.1:<port>` once ready; `GET /stats` tells how many documents it
 * holds, so a bench can wait until a client's uploads have arrived. SIGTERM shuts it down.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Repo } from "@automerge/automerge-repo";
import { WebSocketServerAdapter } from "@automerge/automerge-repo-network-websocket";
import { NodeFSStorageAdapter } from "@automerge/automerge-repo-storage-nodefs";
import { WebSocketServer } from "ws";

const dataDir = process.argv[2];
if (!dataDir) {
  process.stderr.write("usage: sync-server.ts <dataDir>\n");
  process.exit(2);
}

const wss = new WebSocketServer({ noServer: true });
const repo = new Repo({
  network: [new WebSocketServerAdapter(wss as never)],
  storage: new NodeFSStorageAdapter(dataDir),
  peerId: "bench-sync-server" as never,
  // Like automerge-repo-sync-server: do not push every document to every client.
  sharePolicy: async () => false,
});

const http = createServer((req, res) => {
  if (req.url === "/stats") {
    const handles = Object.values(repo.handles);
    let withContent = 0;
    for (const h of handles) {
      if (h.isReady() && Object.keys(h.doc() as object).length > 0) withContent++;
    }
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ handles: handles.length, withContent }));
    return;
  }
  res.writeHead(404).end();
});
http.on("upgrade", (req, socket, head) => {
  wss.handleUpgrade(req, socket, head, (ws) => wss.emit("connection", ws, req));
});
http.listen(0, "127.0.0.1", () => {
  const { port } = http.address() as AddressInfo;
  process.stdout.write(`sync server listening on ws://127.0.0.1:${port}\n`);
});

process.once("SIGTERM", () => {
  http.closeAllConnections();
  http.close();
  wss.close();
  void repo.shutdown().finally(() => process.exit(0));
  setTimeout(() => process.exit(0), 3000).unref();
});
