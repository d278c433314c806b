/** Fixtures of the device-link tests: a cell of two, and the next device that answers a link offer. */
import type { Kit, LinkRequest } from "../../core/index.js";
import { admittedCell } from "./cells.js";

/** Founder F and member Ali on his phone, on devices `device` makes. */
export async function cellOfTwo(device: () => Promise<Kit>) {
  const [f, phone] = [await device(), await device()] as [Kit, Kit];
  const { cell, cells } = await admittedCell(
    f,
    "Fatima",
    [{ kit: phone, name: "Ali" }],
    "Cellule Rosa-Parks",
  );
  return { f, phone, cell, ali: cells[0]! };
}

/** The next device that answers `offer` (its `request` event). */
export const nextRequest = (offer: { on: (e: "request", fn: (r: LinkRequest) => void) => () => void }) =>
  new Promise<LinkRequest>((resolve) => {
    const off = offer.on("request", (r) => {
      off();
      resolve(r);
    });
  });
