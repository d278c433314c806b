/**
 * `npm start`: two local relays with file storage, the sample cell's officer device, and the sample blog
 * (with the officer's inbox and the sync page). Data lives under `./.cellule-data`
 * (or `CELLULE_DATA`). Ports: `PORT` (blog, default 8080), `RELAY_PORTS` (default "7420,7421"); a port in
 * use falls back to a free one.
 */
import { resolve } from "node:path";
import { type Demo, startDemo } from "./server.js";

const dataDir = resolve(process.env.CELLULE_DATA ?? ".cellule-data");
const [a, b] = (process.env.RELAY_PORTS ?? "7420,7421").split(",").map(Number);

let demo: Demo;
try {
  demo = await startDemo({
    dataDir,
    port: Number(process.env.PORT ?? 8080),
    relayPorts: [a ?? 7420, b ?? 7421],
  });
} catch (error) {
  console.error(`cannot start the demo: ${(error as Error).message}`);
  process.exit(1);
}
console.log(`relays: ${demo.relays.map((r) => r.url).join(" ")} (data in ${dataDir})`);
console.log(`cell: ${demo.officer.addresses.join(" ")}`);
console.log(`blog: ${demo.url}  (officer's inbox: ${demo.url}officier/, sync: ${demo.url}sync/)`);

const stop = async () => {
  await demo.close();
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
