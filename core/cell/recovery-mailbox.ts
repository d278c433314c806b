/**
 * Reading a recovery mailbox: the ops a member's devices posted for their recovery device, gathered from
 * the relays until they make a log in which that device is active (then a short quiet period lets the
 * rest of a burst arrive). Everything newer arrives afterwards through the cell's own scopes.
 */
import { toBase64Url } from "../base/bytes.js";
import { NotAMemberError } from "../base/errors.js";
import type { DeviceIdentity } from "../crypto/identity.js";
import { recoveryMailbox } from "../crypto/recovery-phrase.js";
import { GovernanceLog } from "../governance/log.js";
import { readOps } from "../governance/ops.js";
import type { OpHash, SignedOp } from "../governance/types.js";
import type { Kit } from "../kit/kit.js";

const QUIET_MS = 300;

function certifies(ops: Map<OpHash, SignedOp>, device: DeviceIdentity): boolean {
  const genesis = [...ops.values()].find((op) => op.body.op.type === "genesis");
  if (!genesis) return false;
  const log = GovernanceLog.fromGenesis(genesis);
  for (const op of ops.values()) if (op !== genesis && op.body.cell === genesis.hash) log.add(op);
  const d = log.state().devices.get(device.id);
  return log.waiting === 0 && !!d && !d.removed;
}

/** The ops of `recovery`'s mailbox; `NotAMemberError` when none certify it within `timeoutMs`. */
export async function fetchMailbox(
  kit: Kit,
  recovery: DeviceIdentity,
  timeoutMs: number,
): Promise<SignedOp[]> {
  const mailbox = await recoveryMailbox(toBase64Url(recovery.agreementPublicKey));
  const ops = new Map<OpHash, SignedOp>();
  return new Promise<SignedOp[]>((resolve, reject) => {
    let quiet: ReturnType<typeof setTimeout> | undefined;
    const finish = () => {
      clearTimeout(quiet);
      clearTimeout(timer);
      off();
    };
    const off = kit.onGovernance(mailbox.scope, async (opened) => {
      for (const op of await readOps(opened.body.items)) ops.set(op.hash, op);
      clearTimeout(quiet);
      if (!certifies(ops, recovery)) return;
      quiet = setTimeout(() => {
        finish();
        resolve([...ops.values()]);
      }, QUIET_MS);
    });
    const timer = setTimeout(() => {
      finish();
      reject(
        new NotAMemberError("no cell on these relays knows this recovery phrase (or none answered in time)"),
      );
    }, timeoutMs);
    kit.addScope(mailbox.scope, mailbox.secret).catch((error) => {
      finish();
      reject(error);
    });
  });
}
