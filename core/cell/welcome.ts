/**
 * The welcome: the whole log, sent to a newly admitted member's device so that it can read everything.
 * It is sealed to that device's own agreement key (the one its redeem carries), never to the invitation's
 * inbox, whose secret is in the invitation: anyone holding a multi-use invitation (a photo of its QR code
 * shown at a meeting) can read the inbox, and must find nothing there but redeems.
 *
 *   box      a sealed box (crypto/sealed-box.ts) labelled `welcome`, bound to the cell, on the device's
 *            welcome topic SHA-256("cellule/v1/welcome\n<cell>\n<device signing key>"), holding a fresh
 *            32-byte secret
 *   log      governance envelopes under the sealed scope of that secret, `<cell>/invite:<id>/welcome:<hex>`
 *            (named under the invitation, where a cell takes a joiner's governance ops from)
 */
import { fromBase64, toBase64Url, toHex, utf8 } from "../base/bytes.js";
import { IntegrityError } from "../base/errors.js";
import type { ScopeId, Topic } from "../base/ids.js";
import { openBox, sealBox } from "../crypto/sealed-box.js";
import { sha256 } from "../crypto/suite.js";
import type { DeviceKeysPublic } from "../governance/types.js";
import { newScopeSecret } from "../protocol/scope-keys.js";
import type { CellContext } from "./context.js";

const LABEL = "welcome";

/** The topic where a device's welcome box arrives (hex). */
export async function welcomeTopic(cell: string, signingKey: string): Promise<Topic> {
  return toHex(await sha256(utf8(`cellule/v1/${LABEL}\n${cell}\n${signingKey}`))) as Topic;
}

/** The scope a welcome's log travels under, from its secret. */
async function welcomeScope(ctx: CellContext, invite: string, secret: Uint8Array): Promise<ScopeId> {
  return `${ctx.inboxScope(invite)}/welcome:${toHex(await sha256(secret)).slice(0, 32)}` as ScopeId;
}

/** Sends the whole log to one device of a new member, sealed to its agreement key. */
export async function sendWelcome(ctx: CellContext, invite: string, device: DeviceKeysPublic): Promise<void> {
  const secret = newScopeSecret();
  const topic = await welcomeTopic(ctx.id, device.signing);
  const box = await sealBox({ label: LABEL, topic, bound: ctx.id, index: 0 }, device.agreement, {
    v: 1,
    invite,
    secret: toBase64Url(secret),
  });
  const scope = await ctx.kit.addScope(await welcomeScope(ctx, invite, secret), secret);
  await ctx.sendLog(scope.scope, ctx.id);
  await ctx.kit.post(box);
}

/**
 * On a device that redeemed an invitation: listens for its welcome boxes and opens the scope each names,
 * whose log then reaches the cell like any governance envelope. Boxes that do not open for this device
 * are refused (`IntegrityError`).
 */
export async function awaitWelcome(ctx: CellContext, invite: string): Promise<() => void> {
  const { kit } = ctx;
  const topic = await welcomeTopic(ctx.id, toBase64Url(kit.device.signingPublicKey));
  return kit.watchTopic(topic, async (bytes) => {
    const value = await openBox(bytes, { label: LABEL, topic, bound: ctx.id }, [
      kit.device.agreementPrivateKey,
    ]);
    if (value.invite !== invite || typeof value.secret !== "string")
      throw new IntegrityError("a welcome for another invitation");
    const secret = fromBase64(value.secret);
    await kit.addScope(await welcomeScope(ctx, invite, secret), secret);
  });
}
