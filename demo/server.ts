/**
 * The demo: two local relays with file storage (serving the widget kit), the sample cell's officer device
 * (see officer.ts), and on another origin a sample militant blog embedding the widgets, the officer's
 * inbox page, and the page showing two devices syncing through the relays (`/sync/`). `npm start` runs it
 * (see start.ts); the end-to-end tests start it the same way.
 */
import { readFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { type RelayOptions, type RelayServer, startRelay } from "../adapters/relay/index.js";
import type { ReceivedContact } from "../core/index.js";
import { buildApp, buildWidgets } from "../rollup.config.mjs";
import { renderInbox } from "./inbox.js";
import { type Officer, startOfficer } from "./officer.js";

const here = dirname(fileURLToPath(import.meta.url));

/** Options of {@link startDemo}. */
export interface DemoOptions {
  /** Where the relays and the officer's device keep their data. */
  dataDir: string;
  /** Port of the blog; in use → a free one. @default 8080 */
  port?: number;
  /** Ports of the two relays; in use → free ones. @default [7420, 7421] */
  relayPorts?: [number, number];
}

/** A running demo. */
export interface Demo {
  /** The blog's home page. */
  url: string;
  relays: RelayServer[];
  officer: Officer;
  close(): Promise<void>;
}

async function relayOn(port: number, options: RelayOptions): Promise<RelayServer> {
  try {
    return await startRelay({ ...options, port });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EADDRINUSE") throw error;
    return startRelay({ ...options, port: 0 });
  }
}

async function bundle(): Promise<string> {
  const result = await build({
    entryPoints: [join(here, "app.ts")],
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    write: false,
    minify: true,
    logLevel: "warning",
  });
  return result.outputFiles[0]!.text;
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((ok, fail) => {
    server.once("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EADDRINUSE" && port !== 0) ok(listen(server, 0));
      else fail(error);
    });
    server.listen(port, "127.0.0.1", () => ok((server.address() as AddressInfo).port));
  });
}

const BLOG_PAGES: Record<string, { file: string; title: string; current: string }> = {
  "/": { file: "home.html", title: "Accueil", current: "HOME" },
  "/agenda/": { file: "agenda.html", title: "Agenda", current: "AGENDA" },
  "/contact/": { file: "contact.html", title: "Nous contacter", current: "CONTACT" },
};

/** A blog page: the layout around its content, with the cell's address and the relay's script filled in. */
async function blogPage(path: string, officer: Officer, widgets: string): Promise<string> {
  const page = BLOG_PAGES[path]!;
  const layout = await readFile(join(here, "blog/layout.html"), "utf8");
  const main = await readFile(join(here, "blog", page.file), "utf8");
  return layout
    .replace("%MAIN%", main)
    .replace("%TITLE%", page.title)
    .replace(/%CURRENT_([A-Z]+)%/g, (_, name) => (name === page.current ? ' aria-current="page"' : ""))
    .replaceAll("%WIDGETS%", widgets)
    .replaceAll("%CELL%", officer.addresses.join(" "));
}

/** Starts the relays, the officer's device and the blog. */
export async function startDemo(options: DemoOptions): Promise<Demo> {
  const [portA, portB] = options.relayPorts ?? [7420, 7421];
  const [widgets, appFiles] = await Promise.all([buildWidgets(), buildApp()]);
  // The member space on each relay may reach both relays (filled in once their ports are known).
  const connect: string[] = [];
  const relays = [
    await relayOn(portA, {
      dataDir: join(options.dataDir, "relay-a"),
      widgets,
      app: { files: appFiles, connect },
    }),
    await relayOn(portB, {
      dataDir: join(options.dataDir, "relay-b"),
      widgets,
      app: { files: appFiles, connect },
    }),
  ];
  const urls = relays.map((r) => r.url);
  connect.push(...relays.flatMap((r) => [r.url, r.wsUrl]));
  const officer = await startOfficer(join(options.dataDir, "officer"), urls);
  const app = await bundle();
  const wasm = await readFile(join(here, "../node_modules/@automerge/automerge/dist/automerge.wasm"));
  const script = `${urls[0]}/widgets/cellule.js`;
  const relayOrigins = relays.map((r) => `${r.url} ${r.wsUrl}`).join(" ");
  // The blog loads the widgets from a relay and lets them talk to the relays only; no WASM, no eval.
  const blogCsp = `default-src 'self'; script-src 'self' ${urls[0]}; connect-src ${urls.join(" ")}; base-uri 'none'`;
  // The sync page runs Automerge (WASM needs 'wasm-unsafe-eval') and talks to the relays.
  const syncCsp = `default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self' ${relayOrigins}`;
  type File = [type: string, body: string | Buffer, csp?: string];
  const files: Record<string, () => Promise<File>> = {
    "/favicon.ico": async () => ["image/svg+xml", '<svg xmlns="http://www.w3.org/2000/svg"/>'],
    "/demo.css": async () => ["text/css; charset=utf-8", await readFile(join(here, "demo.css"))],
    "/blog/blog.css": async () => ["text/css; charset=utf-8", await readFile(join(here, "blog/blog.css"))],
    "/sync/": async () => ["text/html; charset=utf-8", await readFile(join(here, "sync.html")), syncCsp],
    "/app.js": async () => ["text/javascript; charset=utf-8", app],
    "/automerge.wasm": async () => ["application/wasm", wasm],
    "/config.json": async () => ["application/json", JSON.stringify({ relays: urls })],
    "/officier/": async () => {
      const devices = new Set([...officer.cell.state.devices.values()].map((d) => d.keys.signing));
      const accepted = (c: ReceivedContact) => !!c.device && devices.has(c.device.signing);
      return [
        "text/html; charset=utf-8",
        renderInbox(await officer.cell.contacts(), officer.cell.state.name, accepted),
        "default-src 'self'; form-action 'self'",
      ];
    },
    ...Object.fromEntries(
      Object.keys(BLOG_PAGES).map((path) => [
        path,
        async (): Promise<File> => [
          "text/html; charset=utf-8",
          await blogPage(path, officer, script),
          blogCsp,
        ],
      ]),
    ),
  };
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    if (req.method === "POST" && url.pathname === "/officier/accepter") {
      // The officer accepts a request to join from the inbox page (the demo's officer device does it).
      const contact = (await officer.cell.contacts()).find((c) => c.id === url.searchParams.get("id"));
      if (contact?.device) await officer.cell.acceptJoin(contact).catch(() => {});
      res.writeHead(303, { location: "/officier/" }).end();
      return;
    }
    const file = files[url.pathname];
    if (!file) {
      res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("not found");
      return;
    }
    try {
      const [type, body, csp = "default-src 'self'"] = await file();
      res
        .writeHead(200, { "content-type": type, "content-security-policy": csp, "cache-control": "no-store" })
        .end(body);
    } catch (error) {
      res.writeHead(500, { "content-type": "text/plain; charset=utf-8" }).end(String(error));
    }
  });
  const port = await listen(server, options.port ?? 8080);
  return {
    url: `http://127.0.0.1:${port}/`,
    relays,
    officer,
    async close() {
      await new Promise((ok) => server.close(ok));
      await officer.close();
      await Promise.all(relays.map((r) => r.close()));
    },
  };
}
