/**
 * The members view, as a function of it: everyone the cell's log knows (name, status, roles, devices with
 * the names their member gave them and when this device last heard from each); for officers who may, the
 * buttons that grant and revoke roles, remove a member and revoke a lost device; for everyone, naming their
 * own devices and leaving the cell. What removes or leaves is asked again in words first (`Confirming`).
 * Everything shown is text.
 */
import { html, nothing, type TemplateResult } from "lit";
import type { DeviceId, DeviceInfo, MemberId } from "../../../../core/index.js";
import type { AppStrings, Lang } from "../../../../core/public/strings/index.js";
import { field, onSubmit } from "../../forms.js";

/** One person, as the view shows them. */
export interface MemberRow {
  id: MemberId;
  name: string;
  status: "pending" | "member" | "declined" | "removed";
  /** Their roles but `member`, which every admitted member holds. */
  roles: string[];
  devices: DeviceInfo[];
  /** This device's member. */
  me: boolean;
}

/** What this device's member may do to others. */
export interface MemberRights {
  /** Roles that can be granted (the rules' roles but `member`), when this member may set roles. */
  grantable: string[];
  /** May remove members and their devices. */
  remove: boolean;
}

/** A removal, a device revocation or leaving, waiting for the person to confirm. */
export type Confirming =
  | { kind: "remove"; member: MemberRow }
  | { kind: "device"; member: MemberRow; device: DeviceInfo }
  | { kind: "leave" };

/** What the view's buttons do. */
export interface MembersActions {
  grant(member: MemberId, role: string): void;
  revoke(member: MemberId, role: string): void;
  /** Asks to confirm (shows the question), or `undefined`: the question goes. */
  ask(what: Confirming | undefined): void;
  /** Does what was confirmed. */
  confirmed(what: Confirming): void;
  nameDevice(device: DeviceId, name: string): void;
}

const ORDER = { member: 0, pending: 1, removed: 2, declined: 3 } as const;

/** "22 nov. 2026, 19:04" in the member's language. */
const seenAt = (ms: number, lang: Lang) =>
  new Intl.DateTimeFormat(lang, { dateStyle: "medium", timeStyle: "short" }).format(ms);

/** The members, and the question to confirm, if one is asked. */
export function membersView(
  t: AppStrings,
  lang: Lang,
  rows: MemberRow[],
  rights: MemberRights,
  confirming: Confirming | undefined,
  act: MembersActions,
): TemplateResult {
  const sorted = [...rows].sort(
    (a, b) => ORDER[a.status] - ORDER[b.status] || a.name.localeCompare(b.name, lang),
  );
  const me = rows.find((r) => r.me);
  return html`${confirming ? question(t, confirming, act) : nothing}
    <ul class="members" aria-label=${t.members}>
      ${sorted.map((m) => memberItem(t, lang, m, rights, act))}
    </ul>
    ${
      me?.status === "member"
        ? html`<p><button class="danger" @click=${() => act.ask({ kind: "leave" })}>${t.leaveCell}</button></p>`
        : nothing
    }`;
}

function memberItem(
  t: AppStrings,
  lang: Lang,
  m: MemberRow,
  rights: MemberRights,
  act: MembersActions,
): TemplateResult {
  const active = m.status === "member";
  const headingId = `member-${m.id.slice(0, 16)}`;
  const addable = active ? rights.grantable.filter((r) => !m.roles.includes(r)) : [];
  const grant = onSubmit((form) => act.grant(m.id, field(form, "role")));
  return html`<li class="member" aria-labelledby=${headingId}>
    <h3 id=${headingId}>${m.name}${m.me ? html` <small>(${t.you})</small>` : nothing}</h3>
    <p class="status">${t.memberStatus(m.status)}</p>
    ${
      active
        ? html`<p>${t.memberRoles} :
            ${m.roles.length === 0 ? t.noRoles : nothing}
            ${m.roles.map(
              (r) => html`<span class="role">${t.roleName(r)}</span>
                ${
                  rights.grantable.includes(r)
                    ? html`<button @click=${() => act.revoke(m.id, r)}>${t.revokeRole(t.roleName(r))}</button>`
                    : nothing
                }`,
            )}
          </p>`
        : nothing
    }
    ${
      addable.length > 0
        ? html`<form class="grant" @submit=${grant} aria-label=${`${t.grant} · ${m.name}`}>
            <label>${t.grantRole}
              <select name="role">
                ${addable.map((r) => html`<option value=${r}>${t.roleName(r)}</option>`)}
              </select>
            </label>
            <button type="submit">${t.grant}</button>
          </form>`
        : nothing
    }
    ${
      m.devices.length > 0
        ? html`<ul class="member-devices" aria-label=${`${t.memberDevices} · ${m.name}`}>
            ${m.devices.map((d) => deviceItem(t, lang, m, d, rights, act))}
          </ul>`
        : nothing
    }
    ${
      active && rights.remove && !m.me
        ? html`<button class="danger" @click=${() => act.ask({ kind: "remove", member: m })}>${t.removeMember}</button>`
        : nothing
    }
  </li>`;
}

function deviceItem(
  t: AppStrings,
  lang: Lang,
  m: MemberRow,
  d: DeviceInfo,
  rights: MemberRights,
  act: MembersActions,
): TemplateResult {
  const label = d.recovery ? t.recoveryDevice : (d.name ?? t.unnamedDevice);
  const when = d.self
    ? t.thisDevice
    : d.lastSeen !== undefined
      ? t.lastSeen(seenAt(d.lastSeen, lang))
      : t.neverSeen;
  const nameable = m.me && m.status === "member" && !d.removed && !d.recovery;
  const name = onSubmit((form) => act.nameDevice(d.id, field(form, "device-name")));
  return html`<li class="device">
    <span class="device-name">${label}</span> · <span class="seen">${d.removed ? t.deviceGone : when}</span>
    ${
      nameable
        ? html`<form class="name-device" @submit=${name}>
            <label>${t.deviceName}
              <input name="device-name" required maxlength="64" .value=${d.name ?? ""} autocomplete="off" />
            </label>
            <button type="submit">${t.saveDeviceName}</button>
          </form>`
        : nothing
    }
    ${
      !d.removed && !d.self && m.status === "member" && (rights.remove || m.me)
        ? html`<button @click=${() => act.ask({ kind: "device", member: m, device: d })}>${t.revokeDevice}</button>`
        : nothing
    }
  </li>`;
}

/** The question asked before a removal, a device revocation or leaving: what it does, then yes or no. */
function question(t: AppStrings, what: Confirming, act: MembersActions): TemplateResult {
  const text =
    what.kind === "leave"
      ? t.confirmLeave
      : what.kind === "remove"
        ? t.confirmRemoveMember(what.member.name)
        : t.confirmRevokeDevice(what.device.name ?? t.unnamedDevice, what.member.name);
  return html`<div class="confirm" role="alertdialog" aria-labelledby="confirm-text">
    <p id="confirm-text">${text}</p>
    <button class="danger" @click=${() => act.confirmed(what)}>${t.confirm}</button>
    <button @click=${() => act.ask(undefined)}>${t.cancel}</button>
  </div>`;
}
