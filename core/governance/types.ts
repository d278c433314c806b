/**
 * The governance log's types: ops as signed and sent, and the state a log resolves to. Types only, so that
 * every governance module (and the cell above) can name them without importing the modules that compute
 * them.
 */
import type { CellId, DeviceId, DocId, MemberId } from "../base/ids.js";
import type { PublicationCert } from "../protocol/edition-format.js";
import type { Role, Rules } from "./rules.js";

/** SHA-256 of an op's body, lowercase hex. */
export type OpHash = string & { readonly __opHash: true };

/** Public keys of a device, base64url of the raw P-256 points. */
export interface DeviceKeysPublic {
  signing: string;
  agreement: string;
}

/** A scope epoch secret sealed to one device (see lockbox.ts). Padding entries look the same. */
export interface LockboxEntry {
  /** 8 bytes derived from the recipient's shared secret, base64url: lets the recipient find its entry. */
  tag: string;
  /** AES-GCM IV ‖ ciphertext ‖ tag of the epoch secret, base64url. */
  box: string;
}

/** The lockboxes of one scope epoch: one ephemeral ECDH key, one entry per reader, padded. */
export interface Lockboxes {
  /** Ephemeral ECDH P-256 public key, base64url (raw point). */
  ephemeral: string;
  entries: LockboxEntry[];
}

/** What an op does. */
export type Op =
  | {
      type: "genesis";
      name: string;
      nonce: string;
      founder: DeviceKeysPublic;
      founderName: string;
      rules: Rules;
    }
  | { type: "invite"; invite: string; role: Role; expires: number; single: boolean; inbox: string }
  | { type: "redeem"; invite: string; device: DeviceKeysPublic; name: string; proof: string }
  /**
   * Withdraws an invitation before it is used up: no redeem of it is taken after, nor one concurrent with
   * the revocation (a loss, see reducer.ts); redeems the revoker had seen stand.
   */
  | { type: "revoke-invite"; invite: string }
  | { type: "admit"; member: MemberId }
  | { type: "decline"; member: MemberId }
  | { type: "remove"; member: MemberId }
  | { type: "set-role"; member: MemberId; role: Role; granted: boolean }
  | { type: "add-device"; member: MemberId; device: DeviceKeysPublic; recovery?: boolean }
  | { type: "remove-device"; device: string }
  /** The name a member gives one of their devices ("Téléphone", "Ordinateur du local"). */
  | { type: "name-device"; device: string; name: string }
  | { type: "rotate"; scope: string; epoch: number; lockboxes: Lockboxes; previous: string | null }
  /** An epoch's key for one member's devices (an admission, a role granted, a device added). */
  | { type: "share-keys"; scope: string; epoch: number; member: MemberId; lockboxes: Lockboxes }
  /**
   * A two-person scope (`pair:<22 random base64url>`) for messages between `members`: its first epoch,
   * sealed to both people's devices. Other members see that the pair exists, never what it holds.
   */
  | { type: "open-pair"; scope: string; members: [MemberId, MemberId]; lockboxes: Lockboxes }
  /** A document's scope and writers; `name` also makes it the cell's document of that name (see `named`). */
  | { type: "set-policy"; doc: DocId; scope: string; writers: Role[]; name?: string }
  /**
   * Link `index` of the cell's publication chain (see protocol/publication-cert.ts): its certificate, and the
   * edition signing and admission private keys sealed under epoch `epoch` of the sealed scope `scope`
   * (see cell/publication.ts), so that every reader of that scope can publish and open contact requests.
   */
  | { type: "publication"; index: number; cert: PublicationCert; scope: string; epoch: number; box: string }
  | { type: "set-relays"; relays: string[] }
  | { type: "propose-rules"; rules: Rules }
  | { type: "approve-rules"; proposal: OpHash };

/** The signed part of an op. */
export interface OpBody {
  v: 1;
  /** The cell's ID; empty for the genesis op (whose hash becomes the ID). */
  cell: string;
  /** Hashes of the heads the author had seen, sorted. */
  parents: OpHash[];
  /** Raw signing public key of the author device, base64url. */
  author: string;
  /** The author's clock when writing, ms. Informational only: validity never depends on a clock. */
  at: number;
  op: Op;
}

/** A verified op. */
export interface SignedOp {
  hash: OpHash;
  body: OpBody;
  /** The author device's ID. */
  authorId: DeviceId;
  /** ID of the device an op introduces (genesis founder, redeem, add-device). */
  subjectId?: DeviceId;
  /** The wire bytes. */
  bytes: Uint8Array;
}

/** A person the cell knows through its log. */
export interface MemberState {
  id: MemberId;
  name: string;
  /** `pending`: redeemed an invitation, waiting for admission. */
  status: "pending" | "member" | "declined" | "removed";
  /** Always contains `member` once admitted. */
  roles: Set<Role>;
  devices: Set<DeviceId>;
  /** The invitation redeemed, if any. */
  invite?: string;
}

/** A device certified in the log. */
export interface DeviceState {
  id: DeviceId;
  member: MemberId;
  keys: DeviceKeysPublic;
  removed: boolean;
  /** A device derived from the member's recovery phrase (its keys exist only while the phrase is used). */
  recovery?: boolean;
  /** The name its member gave it (the latest `name-device` in log order), if any. */
  name?: string;
}

/** An invitation. */
export interface InviteState {
  key: string;
  role: Role;
  expires: number;
  single: boolean;
  by: MemberId;
  redeemedBy: MemberId[];
  /** Withdrawn by a `revoke-invite`: redeemed no more. */
  revoked: boolean;
  /** Secret of the invitation's inbox scope, base64url (redeems and welcomes travel there). */
  inbox: string;
}

/** One epoch of a sealed scope: its lockboxes in the op that created it. */
export interface EpochState {
  epoch: number;
  op: OpHash;
  lockboxes: Lockboxes;
  /** The previous epoch's secret wrapped under this one, base64url, or null for the first epoch. */
  previous: string | null;
  /**
   * Rotations to the same epoch that lost to this one (later in log order). Nobody writes under them
   * once they see this one, but what their authors sealed before stays readable.
   */
  alternates: { op: OpHash; lockboxes: Lockboxes; previous: string | null }[];
  /** Lockboxes added later for new readers (admissions), without a new epoch. */
  grants: Lockboxes[];
  /** Members given this epoch's key by a grant (their devices hold it, whatever the rules say later). */
  grantees: MemberId[];
  /**
   * Devices this epoch's key was sealed to by an author who saw an op the log now drops (an admission
   * whose invitation was revoked concurrently, say), that do not read the scope: the key is stale.
   */
  exposed?: DeviceId[];
}

/** A two-person scope: who it is between. */
export interface PairState {
  members: [MemberId, MemberId];
  /** Whether both are still members (a pair with someone removed takes no new writes). */
  open: boolean;
}

/** A link of the publication chain, with its private keys sealed under a sealed scope's epoch. */
export interface PublicationLink {
  cert: PublicationCert;
  scope: string;
  epoch: number;
  box: string;
  op: OpHash;
}

/**
 * A link of the publication chain; `alternates` are concurrent links with the same index that lost (later
 * in log order): editions never use them, but visitors may have sealed requests to their admission keys.
 */
export interface PublicationState extends PublicationLink {
  alternates: PublicationLink[];
}

/** A rules proposal waiting for approvals. */
export interface ProposalState {
  rules: Rules;
  approvals: Set<MemberId>;
  quorum: number;
}

/** What a cell's governance log says. */
export interface CellState {
  cellId: CellId;
  name: string;
  rules: Rules;
  members: Map<MemberId, MemberState>;
  devices: Map<DeviceId, DeviceState>;
  invites: Map<string, InviteState>;
  /** Epochs of each sealed scope, in order; concurrent rotations to the same epoch keep the first in log order. */
  scopes: Map<string, EpochState[]>;
  policies: Map<DocId, { scope: string; writers: Role[] }>;
  /** The cell's named documents (its site, journals, agendas…), by name; the latest naming in log order wins. */
  named: Map<string, DocId>;
  relays: string[];
  proposals: Map<OpHash, ProposalState>;
  /** Two-person scopes, by scope name. */
  pairs: Map<string, PairState>;
  /**
   * The publication chain, link by link; of concurrent links with one index, the first in log order
   * stands.
   */
  publication: PublicationState[];
}
