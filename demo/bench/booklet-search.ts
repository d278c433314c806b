/**
 * `booklet-search`: the secretary types a name into the booklet's search box; each keystroke filters
 * 1,000 people (word prefixes of name, place and how to reach them, case and accents ignored, sorted by
 * name): the slowest keystroke over several typed names, `ms`, goal < 16 (one frame). Also the time to
 * build the index when the view opens (`index_ms`). Baseline in the same run: a plain case-insensitive
 * substring filter of the names, no sorting (`baseline_ms`).
 */
import { checkPerson, PeopleIndex, type Person } from "../../core/booklet/index.js";
import { type BenchResult, percentile, round } from "./support.js";

const FIRST = [
  "Amina",
  "Benoît",
  "Bénédicte",
  "Chloé",
  "David",
  "Élodie",
  "Farid",
  "Gaëlle",
  "Hugo",
  "Inès",
  "Jean-Pierre",
  "Karim",
  "Léa",
  "Mohamed",
  "Nadia",
  "Océane",
  "Paul",
  "Rachid",
  "Sophie",
  "Théo",
];
const LAST = [
  "Martin",
  "Bernard",
  "Diallo",
  "Lefèvre",
  "Roux",
  "Nguyen",
  "Benali",
  "Moreau",
  "Garcia",
  "Kaci",
  "Fournier",
  "Mercier",
  "Traoré",
  "Dupont",
  "Lambert",
  "Bonnet",
  "Faure",
  "Rousseau",
  "Blanc",
  "Guérin",
];
const PLACES = [
  "Guillotière",
  "Gerland",
  "Jean-Macé",
  "Saxe",
  "Bellecour",
  "Vénissieux",
  "Hôpital Saint-Joseph",
  "La Poste",
];
const TYPED = ["benoît lef", "gaë", "jean-pierre rou", "nad kaci", "zz"];

function people(count: number): Person[] {
  return Array.from({ length: count }, (_, i) => ({
    ...checkPerson({
      kind: i % 5 === 0 ? "contact" : "member",
      name: `${FIRST[i % FIRST.length]} ${LAST[Math.floor(i / FIRST.length) % LAST.length]} ${i}`,
      place: PLACES[i % PLACES.length],
      reach: `personne${i}@example.org`,
    }),
    id: `p-${i}`,
    source: "",
    at: i,
    updated: i,
    claimed: null,
  }));
}

/** Milliseconds of each keystroke of each typed name. */
function keystrokes(filter: (text: string) => unknown): number[] {
  const times: number[] = [];
  for (const name of TYPED) {
    for (let n = 1; n <= name.length; n++) {
      const start = performance.now();
      filter(name.slice(0, n));
      times.push(performance.now() - start);
    }
  }
  return times;
}

export async function bookletSearch(): Promise<BenchResult> {
  const all = people(1000);
  const built = performance.now();
  const index = new PeopleIndex(all);
  const indexMs = performance.now() - built;
  for (let i = 0; i < 20; i++) keystrokes((t) => index.filter({ text: t })); // warm up
  const ours = keystrokes((t) => index.filter({ text: t }));
  const plain = keystrokes((t) => all.filter((p) => p.name.toLowerCase().includes(t)));
  const worst = Math.max(...ours);
  return {
    bench: "booklet-search",
    ms: round(worst, 2),
    p50_ms: round(percentile(ours, 50), 2),
    index_ms: round(indexMs, 2),
    baseline_ms: round(Math.max(...plain), 2),
    people: all.length,
    keystrokes: ours.length,
    goal: "ms < 16",
    ok: worst < 16,
  };
}
