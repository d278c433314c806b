/**
 * The cell of the `app-open` bench (see app-open.ts), built on a founder device in this process: members,
 * public posts and years of dues stamps, each made the way the library makes them and accepted by the
 * founder's own `Cell` and `Kit` (so the governance log, its lockboxes and the records are real and
 * checked), but without the costs that only come from doing it one member at a time through `Cell.admit`
 * (which sends the whole log to each newcomer: quadratic).
 *
 * - Members: for each, what `Cell.invite`, `Cell.join` and `Cell.admit` write — a single-use invite op, the
 *   newcomer's redeem (signed by their own new device, with the invitation's proof), the admit op and a
 *   share-keys op sealing the members key to the device — signed on a copy of the founder's log, then
 *   handed to the founder's Kit in governance envelopes sealed under the members scope (as the founder's
 *   own commits travel) and posted to the relay. The newcomers' devices then go away (they never run).
 * - Posts and stamps: one Automerge change per record, as a cell writes them over the years; the changes
 *   of one month are made in the same task, so they travel in a few envelopes rather than one each.
 */

import type { Canonical } from "../../core/base/canonical-json.js";
import type { MemberId } from "../../core/base/ids.js";
import { CellStore } from "../../core/cell/store.js";
import {
  GovernanceLog,
  type Invitation,
  openLockbox,
  readOps,
  redeemInvite,
  type SignedOp,
  sealLockboxes,
  signOp,
  signRecord,
} from "../../core/governance/index.js";
import {
  type Cell,
  Collection,
  type CollectionRecord,
  checkRules,
  checkStamp,
  type DuesRules,
  entryIdOf,
  type Kit,
  openSite,
  TREASURY_KINDS,
  Treasury,
  type TreasuryItem,
} from "../../core/index.js";
import { crypto as c, DeviceIdentity, monthOf, randomBytes, toBase64Url } from "../../core/internals.js";
import { EnvelopeKind, sealEnvelope } from "../../core/protocol/envelope.js";

/** Members written per governance envelope (4 ops each, about 150 kB in all: well under the 1 MB frame limit). */
const MEMBERS_PER_ENVELOPE = 50;

export const DUES: DuesRules = {
  period: "month",
  currency: "EUR",
  remittedShare: 0.3,
  brackets: [
    { id: "b1", label: "moins de 1 200 € par mois", maxMonthlyIncome: 120_000, amount: 300 },
    { id: "b2", label: "de 1 200 à 2 500 € par mois", maxMonthlyIncome: 250_000, amount: 800 },
    { id: "b3", label: "plus de 2 500 € par mois", maxMonthlyIncome: null, amount: 1500 },
  ],
};

const FIRST_NAMES = ["Camille", "Dominique", "Sacha", "Claude", "Fatima", "Louis", "Inès", "Karim", "Rose"];
const LAST_NAMES = ["Martin", "Bernard", "Faure", "Morel", "Roux", "Benali", "Girard", "Lambert", "Nguyen"];
const TITLES = [
  "Compte rendu de l'assemblée du",
  "Permanence logement du",
  "Distribution de tracts du",
  "Soutien aux grévistes, point du",
  "Cantine solidaire du",
  "Réunion de quartier du",
];
const TEXT =
  "Nous étions une trentaine au local mardi soir. Après un tour de table, nous avons décidé de nous " +
  "retrouver chaque semaine jusqu'à la fin du mois, de préparer un tract commun avec l'amicale des " +
  "locataires et de tenir une table au marché samedi matin. Toutes les bonnes volontés sont les bienvenues.";

/** The founder's log as the founder's device holds it, rebuilt from what its Cell stored. */
export async function founderLog(kit: Kit, cell: Cell): Promise<GovernanceLog> {
  const ops = await readOps((await new CellStore(kit.storage, cell.id).loadOps()).map((o) => o.bytes));
  const genesis = ops.find((op) => op.body.op.type === "genesis");
  if (!genesis) throw new Error("the founder's device stored no genesis");
  const log = GovernanceLog.fromGenesis(genesis);
  for (const op of ops) if (op !== genesis) log.add(op);
  if (log.waiting > 0 || log.heads().join() !== cell.heads.join())
    throw new Error("the copy of the founder's log differs from the cell's");
  return log;
}

/** Runs `make` for 0..n-1, at most `width` at a time, keeping the order. */
async function mapLimited<T>(n: number, width: number, make: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array(n);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, n) }, async () => {
      while (next < n) {
        const i = next++;
        out[i] = await make(i);
      }
    }),
  );
  return out;
}

/**
 * Adds `count` admitted members to the founder's cell (see the module comment); returns their IDs.
 * `progress` is called after each envelope with the members added so far.
 */
export async function addMembers(
  kit: Kit,
  cell: Cell,
  count: number,
  progress: (done: number) => void,
): Promise<MemberId[]> {
  const log = await founderLog(kit, cell);
  const founder = kit.device;
  const members = log.state().scopes.get("members")?.at(-1);
  if (!members) throw new Error("the cell has no members key");
  const context = { cell: cell.id as string, scope: "members", epoch: members.epoch };
  const secret = await openLockbox(members.lockboxes, founder, context);
  if (!secret) throw new Error("the founder's device cannot open the members key");
  const scope = kit.epochOf(cell.scopeId("members"))!;
  const sign = async (op: Parameters<typeof signOp>[3]) => {
    const signed = await signOp(founder, log.cellId, log.heads(), op);
    log.add(signed);
    return signed;
  };
  // The newcomers' devices: made ahead, in parallel (key generation dominates otherwise).
  const devices = await mapLimited(count, 16, async () =>
    DeviceIdentity.fromKeys({
      signing: await c.generateSigningKeyPair(),
      agreement: await c.generateAgreementKeyPair(),
    }),
  );
  const ids: MemberId[] = [];
  for (let start = 0; start < count; start += MEMBERS_PER_ENVELOPE) {
    const batch: SignedOp[] = [];
    const heads = log.heads();
    for (let i = start; i < Math.min(count, start + MEMBERS_PER_ENVELOPE); i++) {
      const device = devices[i]!;
      // Cell.invite (createInvite): a single-use invitation with its own key and inbox.
      const pair = await c.generateSigningKeyPair(true);
      const inviteId = toBase64Url(await c.exportPublicKey(pair.publicKey));
      const pkcs8 = new Uint8Array(await crypto.subtle.exportKey("pkcs8", pair.privateKey));
      const inbox = toBase64Url(randomBytes(32));
      const expires = Date.now() + 7 * 86_400_000;
      const invite = await sign({
        type: "invite",
        invite: inviteId,
        role: "member",
        expires,
        single: true,
        inbox,
      });
      const invitation: Invitation = {
        cell: log.cellId,
        key: toBase64Url(pkcs8),
        id: inviteId,
        op: invite.hash,
        inbox,
        expires,
        relays: [],
      };
      // Cell.join: the newcomer's device redeems it.
      const name = `${FIRST_NAMES[i % FIRST_NAMES.length]} ${LAST_NAMES[Math.floor(i / FIRST_NAMES.length) % LAST_NAMES.length]} ${i}`;
      const redeem = await redeemInvite(device, invitation, name, [invite.hash]);
      log.add(redeem);
      // Cell.admit: the admission, then the members key sealed to the new device.
      const member = redeem.authorId as unknown as MemberId;
      const admit = await sign({ type: "admit", member });
      const lockboxes = await sealLockboxes(
        secret,
        [{ agreement: toBase64Url(device.agreementPublicKey) }],
        context,
      );
      const share = await sign({
        type: "share-keys",
        scope: "members",
        epoch: members.epoch,
        member,
        lockboxes,
      });
      batch.push(invite, redeem, admit, share);
      ids.push(member);
    }
    const envelope = await sealEnvelope(founder, scope, {
      kind: EnvelopeKind.governance,
      docId: cell.id as never,
      session: randomBytes(16),
      heads,
      items: batch.map((op) => op.bytes),
    });
    const outcome = await kit.receive(envelope);
    if (outcome.status !== "accepted")
      throw new Error(`the founder's Kit did not accept the members: ${JSON.stringify(outcome)}`);
    await kit.post(envelope);
    progress(ids.length);
  }
  const admitted = new Set(
    cell
      .members()
      .filter((m) => m.status === "member")
      .map((m) => m.id),
  );
  const missing = ids.filter((id) => !admitted.has(id));
  if (missing.length > 0 || cell.refused().length > 0)
    throw new Error(`${missing.length} members not admitted, ${cell.refused().length} ops refused`);
  return ids;
}

/** Writes records into a collection, one change each; a month's changes in one task (see the module comment). */
async function putByMonth<T extends CollectionRecord>(
  kit: Kit,
  put: (record: T) => Promise<unknown>,
  records: T[],
  progress: (done: number) => void,
): Promise<number> {
  const published = kit.stats.published;
  const months = new Map<string, T[]>();
  for (const r of records) {
    const key = monthOf(r.at);
    const list = months.get(key) ?? [];
    list.push(r);
    months.set(key, list);
  }
  let done = 0;
  for (const month of months.values()) {
    // The first one alone (it may create the month's bucket), then the rest together.
    await put(month[0]!);
    await Promise.all(month.slice(1).map((r) => put(r)));
    await kit.flush();
    done += month.length;
    progress(done);
  }
  return kit.stats.published - published;
}

/**
 * `count` public posts, evenly from `from` to `to`, through the cell's public journal; returns the envelopes
 * sent and the newest post's title.
 */
export async function writePosts(
  kit: Kit,
  cell: Cell,
  options: { count: number; from: number; to: number },
  progress: (done: number) => void,
): Promise<{ envelopes: number; newest: string }> {
  const { journal } = await openSite(cell);
  const { count, from, to } = options;
  const posts = Array.from({ length: count }, (_, i) => {
    const date = from + Math.floor(((i + 1) * (to - from)) / count);
    const day = new Date(date).toLocaleDateString("fr-FR", { timeZone: "UTC" });
    return {
      id: `p${i.toString(36)}-${toBase64Url(randomBytes(4))}`,
      at: date,
      title: `${TITLES[i % TITLES.length]} ${day}`,
      text: i % 3 === 0 ? `${TEXT}\n\n${TEXT}` : TEXT,
      author: `${FIRST_NAMES[i % FIRST_NAMES.length]} ${LAST_NAMES[i % LAST_NAMES.length]}`,
      date,
    };
  });
  const envelopes = await putByMonth(kit, ({ at: _, ...post }) => journal.put(post), posts, progress);
  return { envelopes, newest: posts.at(-1)!.title };
}

/** The treasury, opened (created and named the first time) by the founder, with dues rules signed at `at`. */
export async function openTreasury(kit: Kit, cell: Cell, at: number): Promise<Treasury> {
  const treasury = await Treasury.open(cell);
  const record = await signRecord(
    kit.device,
    await founderLog(kit, cell),
    TREASURY_KINDS.rules,
    checkRules(DUES) as unknown as Canonical,
    at,
  );
  const items = await Collection.open<TreasuryItem>(kit, treasury.id);
  await items.put({ id: entryIdOf(record), at: record.at, record });
  return treasury;
}

/**
 * A stamp for every person and every month from `from` (`months` of them), signed by the founder (a
 * treasurer) with the current governance heads, dated in its month; returns envelopes sent.
 */
export async function writeStamps(
  kit: Kit,
  cell: Cell,
  treasury: Treasury,
  options: { people: string[]; from: number; months: number },
  progress: (done: number) => void,
): Promise<number> {
  const log = await founderLog(kit, cell);
  // Every stamp cites the same heads: computed once (signRecord reads only `cellId` and `heads()`).
  const heads = log.heads();
  const signer = { cellId: log.cellId, heads: () => heads } as unknown as GovernanceLog;
  const items = await Collection.open<TreasuryItem>(kit, treasury.id);
  const start = new Date(options.from);
  let published = 0;
  let done = 0;
  for (let m = 0; m < options.months; m++) {
    const monthStart = Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + m, 1);
    const period = monthOf(monthStart);
    const records = await mapLimited(options.people.length, 64, async (i) => {
      const bracket = DUES.brackets[i % DUES.brackets.length]!;
      const data = checkStamp(
        {
          person: options.people[i]!,
          period,
          amount: bracket.amount,
          method: i % 4 === 0 ? "transfer" : "cash",
          bracket: bracket.id,
        },
        DUES,
      );
      // Recorded during the month (2nd to 25th), by the founder's device.
      const at = monthStart + 86_400_000 + Math.floor((i * 24 * 86_400_000) / options.people.length);
      const record = await signRecord(
        kit.device,
        signer,
        TREASURY_KINDS.stamp,
        data as unknown as Canonical,
        at,
      );
      return { id: entryIdOf(record), at: record.at, record } satisfies TreasuryItem;
    });
    published += await putByMonth(
      kit,
      (item) => items.put(item),
      records,
      () => {},
    );
    done += records.length;
    progress(done);
  }
  return published;
}
