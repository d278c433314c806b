/**
 * Debian's real nginx for end-to-end tests: found on the machine (or not: `findNginx` says what to install),
 * a self-signed certificate made by openssl, and an nginx run in the foreground as the test's own child
 * process, everything (pid, logs, temporary files) under one prefix directory.
 *
 * ```ts
 * const tls = await selfSignedCertificate(dir);           // for 127.0.0.1 and localhost
 * const nginx = await startNginx({ nginx: found.path, dir, http: siteConfig, ports: [port] });
 * // … https://127.0.0.1:<port>/ …
 * await nginx.stop();
 * ```
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { createHash, X509Certificate } from "node:crypto";
import { accessSync, constants } from "node:fs";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { request } from "node:https";
import { connect, createServer } from "node:net";
import { join } from "node:path";

/** Where Debian puts nginx, and what to install when it is missing. */
const NGINX_CANDIDATES = ["/usr/sbin/nginx", "/usr/bin/nginx"];
export const NGINX_INSTALL_HINT =
  "nginx is not installed: as root, apt-get install -y nginx-light (or nginx)";

/** `{ path }` of nginx, or `{ missing }`: one line saying what to install. */
export function findNginx(): { path: string; missing?: undefined } | { path?: undefined; missing: string } {
  for (const path of NGINX_CANDIDATES) {
    try {
      accessSync(path, constants.X_OK);
      return { path };
    } catch {
      // not there
    }
  }
  return { missing: NGINX_INSTALL_HINT };
}

/** A free TCP port on the loopback interface (free when asked: the caller binds it soon after). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject()));
    });
  });
}

/** A self-signed certificate and its key, as files, and what a browser needs to trust it. */
export interface Certificate {
  certFile: string;
  keyFile: string;
  /** The certificate (PEM), to give Node's https as `ca`. */
  pem: string;
  /** base64 SHA-256 of its public key (SPKI), for Chromium's `--ignore-certificate-errors-spki-list`. */
  spki: string;
}

/** Makes a self-signed P-256 certificate for `127.0.0.1` and `localhost` in `dir` (openssl). */
export async function selfSignedCertificate(dir: string): Promise<Certificate> {
  const certFile = join(dir, "cert.pem");
  const keyFile = join(dir, "key.pem");
  try {
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-days",
        "2",
        "-subj",
        "/CN=127.0.0.1",
        "-addext",
        "subjectAltName=IP:127.0.0.1,DNS:localhost",
        "-keyout",
        keyFile,
        "-out",
        certFile,
      ],
      { stdio: ["ignore", "ignore", "pipe"] },
    );
  } catch (e) {
    const missing = (e as NodeJS.ErrnoException).code === "ENOENT";
    throw new Error(
      missing
        ? "openssl is not installed: as root, apt-get install -y openssl"
        : `openssl could not make a certificate: ${String((e as { stderr?: Buffer }).stderr ?? e)}`,
    );
  }
  await chmod(keyFile, 0o600);
  const pem = await readFile(certFile, "utf8");
  const der = new X509Certificate(pem).publicKey.export({ type: "spki", format: "der" });
  return { certFile, keyFile, pem, spki: createHash("sha256").update(der).digest("base64") };
}

/** How to run nginx. */
export interface NginxOptions {
  /** The nginx binary (`findNginx().path`). */
  nginx: string;
  /** The prefix: pid, logs and temporary files go under it. */
  dir: string;
  /** What goes inside `http { }`: the site's configuration (server blocks, maps…). */
  http: string;
  /** The ports the configuration listens on (127.0.0.1): `startNginx` resolves once each accepts. */
  ports: number[];
  /** @default 15000 */
  startTimeoutMs?: number;
}

/** A running nginx. */
export interface Nginx {
  /** The access log so far (nginx's combined format: one request a line, with its status). */
  accessLog(): Promise<string>;
  /** What nginx wrote to stderr (its error log). */
  stderr(): string;
  /** SIGQUIT (graceful), then waits for the exit (SIGKILL after 10 s). */
  stop(): Promise<void>;
}

/** Writes `<dir>/nginx.conf` around `options.http` and runs nginx in the foreground. */
export async function startNginx(options: NginxOptions): Promise<Nginx> {
  const { dir } = options;
  // The workers (nobody, when the test runs as root) go through it to their temporary files: so must they
  // through the directories above it.
  await mkdir(dir, { recursive: true });
  await chmod(dir, 0o755);
  for (const sub of ["logs", "tmp"]) await mkdir(join(dir, sub), { recursive: true, mode: 0o755 });
  const conf = join(dir, "nginx.conf");
  const temp = ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"]
    .map((t) => `  ${t}_temp_path ${join(dir, "tmp", t)};`)
    .join("\n");
  await writeFile(
    conf,
    [
      "worker_processes 1;",
      "events { worker_connections 256; }",
      "http {",
      `  access_log ${join(dir, "logs", "access.log")};`,
      temp,
      options.http,
      "}",
      "",
    ].join("\n"),
  );
  const stderr: string[] = [];
  const globals = `daemon off; pid ${join(dir, "nginx.pid")}; error_log stderr;`;
  const test = spawnSyncOutput(options.nginx, ["-t", "-p", dir, "-c", conf, "-g", globals]);
  if (test.status !== 0) throw new Error(`nginx refuses the configuration:\n${test.output}\n${conf}`);
  const child: ChildProcess = spawn(options.nginx, ["-p", dir, "-c", conf, "-g", globals], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  child.stderr!.setEncoding("utf8");
  child.stderr!.on("data", (chunk: string) => stderr.push(chunk));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let gone = false;
  void exited.then(() => (gone = true));
  const stop = async (): Promise<void> => {
    if (gone) return;
    child.kill("SIGQUIT");
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    await exited;
    clearTimeout(timer);
  };
  const deadline = Date.now() + (options.startTimeoutMs ?? 15_000);
  try {
    for (const port of options.ports) {
      while (!(await accepts(port))) {
        if (gone) throw new Error(`nginx exited at start:\n${stderr.join("")}`);
        if (Date.now() > deadline) throw new Error(`nginx does not listen on ${port}:\n${stderr.join("")}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  } catch (e) {
    await stop();
    throw e;
  }
  return {
    accessLog: () => readFile(join(dir, "logs", "access.log"), "utf8").catch(() => ""),
    stderr: () => stderr.join(""),
    stop,
  };
}

function spawnSyncOutput(file: string, args: string[]): { status: number; output: string } {
  try {
    const output = execFileSync(file, args, { stdio: ["ignore", "pipe", "pipe"], encoding: "utf8" });
    return { status: 0, output };
  } catch (e) {
    const err = e as { status?: number; stdout?: string; stderr?: string };
    return { status: err.status ?? 1, output: `${err.stdout ?? ""}${err.stderr ?? ""}` };
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/** An answer read whole. */
export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  bytes: Uint8Array;
}

/** A GET over https trusting only `ca` (the test's own certificate). */
export function httpsGet(url: string, ca: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    request(url, { ca, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => {
        const bytes = Buffer.concat(chunks);
        resolve({ status: res.statusCode!, headers: res.headers, body: bytes.toString("utf8"), bytes });
      });
    })
      .on("error", reject)
      .end();
  });
}
