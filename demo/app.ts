/**
 * The demo page: two simulated devices, each with its own keys and IndexedDB storage, editing one sealed
 * document through the local relays. The scope secret and the document ID are kept in localStorage so a
 * reload finds the same devices and document — a shortcut for the demo only: real cells hand keys over
 * through the governance log.
 */
import { dexieKeystore, dexieStorage } from "../adapters/dexie/index.js";
import { relayClient } from "../adapters/relay-client/index.js";
import {
  type CelluleDocument,
  createKit,
  type DocId,
  type Kit,
  newScopeSecret,
  parseScopeId,
  WriterSets,
} from "../core/index.js";
import { fromHex, toHex } from "../core/internals.js";

interface Task {
  text: string;
  done: boolean;
}
interface Board {
  title: string;
  tasks: Task[];
}

const SCOPE = parseScopeId("demo-members");
const config = (await (await fetch("/config.json")).json()) as { relays: string[] };
const saved = JSON.parse(localStorage.getItem("cellule-demo") ?? "{}") as { secret?: string; docId?: string };
const secret = saved.secret ? fromHex(saved.secret) : newScopeSecret();
const authority = new WriterSets();

document.getElementById("relays")!.textContent = `Relais / relays : ${config.relays.join(" · ")}`;

async function device(n: number): Promise<Kit> {
  const storage = dexieStorage(`cellule-demo-${n}`);
  const kit = await createKit({
    storage,
    keystore: dexieKeystore(`cellule-demo-keys-${n}`),
    transports: [relayClient({ relays: config.relays, storage })],
    authority,
    automergeWasm: "/automerge.wasm",
  });
  authority.allowScope(SCOPE, [kit.device.id]);
  await kit.addScope(SCOPE, secret);
  return kit;
}

function panel(n: number, kit: Kit): { section: HTMLElement; list: HTMLUListElement; form: HTMLFormElement } {
  const section = document.createElement("section");
  section.innerHTML = `<h2>Appareil ${n} <span class="en">/ device ${n}</span></h2>
    <p class="status"></p><ul></ul>
    <form><label class="visually-hidden" for="task-${n}">Nouvelle tâche</label>
    <input id="task-${n}" type="text" placeholder="Nouvelle tâche / new task" required maxlength="200" />
    <button>Ajouter</button></form>`;
  section.querySelector(".status")!.textContent = `clé / key ${kit.device.id.slice(0, 10)}…`;
  document.getElementById("devices")!.append(section);
  return { section, list: section.querySelector("ul")!, form: section.querySelector("form")! };
}

function render(list: HTMLUListElement, doc: CelluleDocument<Board>): void {
  list.replaceChildren(
    ...(doc.value().tasks ?? []).map((task, i) => {
      const li = document.createElement("li");
      const box = document.createElement("input");
      box.type = "checkbox";
      box.checked = task.done;
      box.id = `${doc.id}-${list.id}-${i}`;
      box.addEventListener("change", () =>
        doc.change((d) => {
          d.tasks[i]!.done = box.checked;
        }),
      );
      const label = document.createElement("label");
      label.textContent = ` ${task.text}`; // text, never HTML
      label.prepend(box);
      li.append(label);
      return li;
    }),
  );
}

function status(section: HTMLElement, kit: Kit): void {
  const line = section.querySelector(".status")!;
  setInterval(() => {
    const s = kit.transportStatus()[0]!;
    const up = s.endpoints.filter((e) => e.connected).length;
    line.textContent = `clé ${kit.device.id.slice(0, 10)}… · relais connectés ${up}/${s.endpoints.length} · en attente ${s.pending} · reçus ${kit.stats.accepted}`;
  }, 500);
}

const kits = [await device(1), await device(2)];
let docId = saved.docId as DocId | undefined;
if (!docId || !kits[0]!.documents(SCOPE).includes(docId)) {
  const doc = await kits[0]!.create<Board>(SCOPE, { title: "Préparer la réunion", tasks: [] });
  doc.change((d) => {
    d.tasks.push({ text: "Imprimer les tracts", done: false });
  });
  docId = doc.id;
}
localStorage.setItem("cellule-demo", JSON.stringify({ secret: toHex(secret), docId }));

for (const [i, kit] of kits.entries()) {
  const { section, list, form } = panel(i + 1, kit);
  status(section, kit);
  const attach = async () => {
    const doc = await kit.open<Board>(docId!);
    render(list, doc);
    doc.subscribe(() => render(list, doc));
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const input = form.querySelector("input")!;
      doc.change((d) => {
        d.tasks.push({ text: input.value, done: false });
      });
      input.value = "";
    });
  };
  if (kit.documents(SCOPE).includes(docId)) await attach();
  else {
    list.innerHTML = "<li>en attente du document… / waiting for the document…</li>";
    const off = kit.on("document", (id) => {
      if (id === docId) {
        off();
        void attach();
      }
    });
  }
}
