/** Recovery phrases: the fixed vector, the check word catching every single wrong word, lenient typing. */
import { readFileSync } from "node:fs";
import { wordlist as french } from "@scure/bip39/wordlists/french.js";
import { describe, expect, it } from "vitest";
import { toBase64Url, toHex } from "../base/bytes.js";
import { InvalidArgumentError } from "../base/errors.js";
import {
  legacyRecoveryMailbox,
  newRecoveryPhrase,
  phraseEntropy,
  recoveryIdentity,
  recoveryMailbox,
  recoveryMailboxSecret,
} from "./recovery-phrase.js";

const v = JSON.parse(readFileSync(new URL("../test-vectors/recovery-v1.json", import.meta.url), "utf8"));

describe("recovery phrases", () => {
  it("give the checked-in recovery device", async () => {
    expect(toHex(phraseEntropy(v.phrase))).toBe(v.entropy);
    const device = await recoveryIdentity(v.phrase);
    expect(device.id).toBe(v.deviceId);
    expect(toBase64Url(device.agreementPublicKey)).toBe(v.agreement);
    const again = await recoveryIdentity(
      `  ${v.phrase.toUpperCase().normalize("NFD").replace(/ /g, "   ")} `,
    );
    expect(again.id).toBe(v.deviceId);
  });

  it("are 13 words of the French list by default, English on request", () => {
    const fr = newRecoveryPhrase().split(" ");
    expect(fr).toHaveLength(13);
    expect(fr.every((w) => french.includes(w))).toBe(true);
    expect(phraseEntropy(newRecoveryPhrase("en"))).toHaveLength(16);
  });

  it("catch every single wrong word, in every position", () => {
    const words = v.phrase.split(" ") as string[];
    for (let position = 0; position < words.length; position++) {
      for (let index = 0; index < 2048; index += 7) {
        if (french[index] === words[position]) continue;
        const wrong = [...words];
        wrong[position] = french[index]!;
        expect(() => phraseEntropy(wrong.join(" ")), `${position}:${index}`).toThrow(InvalidArgumentError);
      }
    }
  });

  it("say what is wrong with a phrase that cannot be one", () => {
    expect(() => phraseEntropy("trop court")).toThrow(/13 words/);
    const words = v.phrase.split(" ");
    words[2] = "chocolatine";
    expect(() => phraseEntropy(words.join(" "))).toThrow(/word 3 .*chocolatine/);
  });

  it("give each phrase its own mailbox, keyed by the phrase and not by anything the log shows", async () => {
    const a = await recoveryMailbox(await recoveryMailboxSecret(v.phrase));
    expect((await recoveryMailbox(await recoveryMailboxSecret(v.phrase))).scope).toBe(a.scope);
    const other = await recoveryMailbox(await recoveryMailboxSecret(newRecoveryPhrase()));
    expect(other.scope).not.toBe(a.scope);
    // The pre-v2 mailbox came from the recovery device's public key, which the log holds.
    const legacy = await legacyRecoveryMailbox(v.agreement);
    expect(legacy.scope).not.toBe(a.scope);
    expect(toHex(legacy.secret)).not.toBe(toHex(a.secret));
  });
});
