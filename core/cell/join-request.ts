/**
 * Joining a cell without an invitation: the visitor's new device (in the member space, never on a blog)
 * sends a request to join, a contact request that carries the device's public keys, sealed to the
 * cell's admission key. An officer who accepts it (`Cell.acceptJoin`) makes a single-use invitation and
 * seals it to that device, on the device's own mailbox topic; the device redeems it at once, and the
 * officer's device admits the redeem it approved. The visitor waits with `whenInvited`; the request
 * survives restarts of the app.
 */
import { fromUtf8, toBase64Url, utf8 } from "../base/bytes.js";
import { IntegrityError } from "../base/errors.js";
import type { CellId } from "../base/ids.js";
import { openBox } from "../crypto/sealed-box.js";
import type { Invitation } from "../governance/actions.js";
import { invitationFrom } from "../governance/invitation-text.js";
import type { Kit } from "../kit/kit.js";
import { type ContactRequest, sealContact } from "../public/contact.js";
import { Cell } from "./cell.js";
import { DEVICE_MAIL, deviceMailTopic } from "./device-mail.js";
import { CellStore, JOIN_REQUEST_KEY as STORE_KEY } from "./store.js";

/** What the visitor tells the cell, and where the cell's admission key is (from its verified edition). */
export interface JoinRequestInput {
  cell: string;
  /** The cell's current admission key and its index in the publication chain (`verifyEdition` gives both). */
  admission: string;
  keyIndex: number;
  name: string;
  reach: string;
  message?: string;
  lang?: "fr" | "en";
}

interface Stored {
  cell: string;
  name: string;
  at: number;
}

/** See the module comment. */
export class JoinRequest {
  private invited: Promise<Cell> | undefined;

  private constructor(
    private readonly kit: Kit,
    /** The cell asked. */
    readonly cell: string,
    /** The name the visitor gave (used again when the invitation is redeemed). */
    readonly name: string,
  ) {}

  /**
   * Sends a request to join from this device; `InvalidArgumentError` (nothing sent) for bad input. Keep
   * the returned request's `whenInvited()` to learn when an officer accepted.
   */
  static async send(kit: Kit, input: JoinRequestInput): Promise<JoinRequest> {
    await CellStore.claim(kit.storage, input.cell as CellId);
    const request: ContactRequest = {
      name: input.name,
      reach: input.reach,
      message: input.message ?? "",
      consent: true,
      lang: input.lang ?? "fr",
      device: {
        signing: toBase64Url(kit.device.signingPublicKey),
        agreement: toBase64Url(kit.device.agreementPublicKey),
      },
    };
    const sealed = await sealContact(input.cell, input.admission, input.keyIndex, request);
    const stored: Stored = { cell: input.cell, name: input.name.trim(), at: kit.clock.now() };
    await kit.storage.save([STORE_KEY, input.cell], utf8(JSON.stringify(stored)));
    await kit.post(sealed);
    return new JoinRequest(kit, stored.cell, stored.name);
  }

  /** The requests this device sent and that no invitation has answered yet (after a restart, say). */
  static async pending(kit: Kit): Promise<JoinRequest[]> {
    const found: JoinRequest[] = [];
    for (const { data } of await kit.storage.loadRange([STORE_KEY])) {
      if (!data) continue;
      try {
        const s = JSON.parse(fromUtf8(data)) as Stored;
        found.push(new JoinRequest(kit, s.cell, s.name));
      } catch (cause) {
        throw new IntegrityError("a stored request to join is corrupt", { cause });
      }
    }
    return found;
  }

  /**
   * Resolves with the cell once an officer's invitation has arrived and been redeemed (the cell then waits
   * for admission: see `Cell.whenMember`). Invitations that do not open or are for another cell are
   * refused; the request stays.
   */
  whenInvited(): Promise<Cell> {
    if (!this.invited) this.invited = this.listen();
    return this.invited;
  }

  private async listen(): Promise<Cell> {
    const signing = toBase64Url(this.kit.device.signingPublicKey);
    const topic = await deviceMailTopic(this.cell, signing);
    const invitation = await new Promise<Invitation>((resolve) => {
      const stop = this.kit.watchTopic(topic, async (bytes) => {
        const value = await openBox(bytes, { label: DEVICE_MAIL, topic, bound: this.cell }, [
          this.kit.device.agreementPrivateKey,
        ]);
        let found: Invitation;
        try {
          found = invitationFrom(value.invitation as Invitation);
        } catch (cause) {
          throw new IntegrityError("a device mail without a valid invitation", { cause });
        }
        if (found.cell !== this.cell) throw new IntegrityError("an invitation to another cell");
        stop();
        resolve(found);
      });
    });
    const cell = await Cell.join(this.kit, invitation, { name: this.name });
    await this.kit.storage.remove([STORE_KEY, this.cell]);
    return cell;
  }
}
