/**
 * Named errors. Each has a stable `code` a program can switch on and a message a person can act on.
 * Untrusted input that fails a check raises one of these; the check changes nothing else. The message is
 * English, for developers and logs; `params` say the same in parts an interface words in its own
 * language (the member space: elements/cell-app/error-text.ts): a bad field and what is wrong with it, the
 * rule that refused an op.
 */

/**
 * The parts of an error's message: `field` (the input's name, e.g. `joined`) with `problem` (`required`,
 * `too-long` with `max`, `not-text`, `not-a-day`, `one-of`), or `reason` (the rule that refused, e.g.
 * `may not admit`).
 */
export type ErrorParams = Readonly<Record<string, string | number>>;

/** Options of an error: its cause, its parts. */
export interface ErrorOptions {
  cause?: unknown;
  params?: ErrorParams;
}

/** Base class of every Cellule error. */
export class CelluleError extends Error {
  /** Stable machine-readable code, e.g. `"integrity"`. */
  readonly code: string;
  /** The message's parts (see `ErrorParams`); `{}` when it has none. */
  readonly params: ErrorParams;
  constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.name = new.target.name;
    this.params = options?.params ?? {};
  }
}

/** An `InvalidArgumentError` for one bad field: its message, and `field` and `problem` as its parts. */
export function fieldError(field: string, problem: string, message: string, more: ErrorParams = {}) {
  return new InvalidArgumentError(message, { params: { field, problem, ...more } });
}

/** Bytes that fail a cryptographic or structural check: bad signature, bad ciphertext, truncated or malformed data. */
export class IntegrityError extends CelluleError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("integrity", message, options);
  }
}

/** A well-formed, authentic request by someone who does not have the right to do it. */
export class ForbiddenError extends CelluleError {
  constructor(message: string, options?: ErrorOptions) {
    super("forbidden", message, options);
  }
}

/** The author of a change used an Automerge actor ID that is not the one bound to their device key. */
export class ActorMismatchError extends CelluleError {
  constructor(message: string) {
    super("actor-mismatch", message);
  }
}

/** No key is known for the scope or epoch an envelope was sealed under. */
export class UnknownScopeError extends CelluleError {
  constructor(message: string) {
    super("unknown-scope", message);
  }
}

/**
 * An envelope cites governance ops this device has not received yet: it cannot be judged now. The Kit
 * holds it and judges it again when the log grows (ops and documents travel on different topics).
 */
export class PendingOpsError extends CelluleError {
  constructor(message: string) {
    super("pending-ops", message);
  }
}

/** The requested document is not known to this device. */
export class UnknownDocumentError extends CelluleError {
  constructor(message: string) {
    super("unknown-document", message);
  }
}

/** The caller is not a member of the cell (governance). */
export class NotAMemberError extends CelluleError {
  constructor(message: string) {
    super("not-a-member", message);
  }
}

/** An invitation used after its expiry. */
export class ExpiredInviteError extends CelluleError {
  constructor(message: string) {
    super("expired-invite", message);
  }
}

/** A device-linking code used after its expiry (or a link that was never answered in time). */
export class ExpiredLinkError extends CelluleError {
  constructor(message: string) {
    super("expired-link", message);
  }
}

/** The check code typed on the trusted device is not the one the new device shows: nothing was linked. */
export class CheckCodeError extends CelluleError {
  constructor(message: string) {
    super("check-code", message);
  }
}

/** Input too large, or too much of it too fast. */
export class QuotaError extends CelluleError {
  constructor(message: string) {
    super("quota", message);
  }
}

/** An argument given by the calling program is not of the expected form. */
export class InvalidArgumentError extends CelluleError {
  constructor(message: string, options?: ErrorOptions) {
    super("invalid-argument", message, options);
  }
}

/** A stored key or record cannot be read back (wrong format, wrong permissions, corrupted file). */
export class StorageError extends CelluleError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("storage", message, options);
  }
}

/** The operation needs a component that was closed. */
export class ClosedError extends CelluleError {
  constructor(what: string) {
    super("closed", `${what} is closed`);
  }
}

/** A signed document of another cell than the one asked for (an edition served for the wrong cell ID). */
export class WrongCellError extends CelluleError {
  constructor(message: string) {
    super("wrong-cell", message);
  }
}

/** This device asked to join a cell and has not received its welcome (the log) yet: wait for an admission. */
export class NotWelcomedError extends CelluleError {
  constructor(message: string) {
    super("not-welcomed", message);
  }
}

/** Something did not happen within the time allowed (an admission, an answer from a relay or a device). */
export class TimeoutError extends CelluleError {
  constructor(message: string) {
    super("timeout", message);
  }
}

/**
 * This Kit already holds another cell. A Kit is one device in one cell: a device that belongs to two cells
 * runs two Kits (each its own storage and key name), so that no relay and no cell can link its cells by
 * its key or by the topics one connection asks for.
 */
export class KitInUseError extends CelluleError {
  constructor(message: string) {
    super("kit-in-use", message);
  }
}

/** This device has no keys where it looks for them, and was not allowed to make new ones (no silent new identity). */
export class NoIdentityError extends CelluleError {
  constructor(message: string) {
    super("no-identity", message);
  }
}

/**
 * Something Cellule needs is not available where it runs: WebCrypto (browsers give it to secure pages
 * only: https or localhost), or the Automerge WASM file.
 */
export class UnavailableError extends CelluleError {
  constructor(message: string) {
    super("unavailable", message);
  }
}
