/**
 * The shape of Cellule's words, one file per language beside this one (`fr.ts`, `en.ts`), one table per
 * surface: the keyless widgets, the contact form, the join button, the relay's HTML page, the member
 * space. Words that count something are functions of the count, their plural forms chosen by
 * `Intl.PluralRules` (`plural.ts`). Each table is its own export, so a widget bundle carries only its own.
 */

/** The languages Cellule speaks. */
export type Lang = "fr" | "en";

/** The kinds of people in the booklet. */
type Kinds = Record<"contact" | "member" | "held", string>;

/** The member space's words in one language. */
export interface AppStrings {
  // The way in: opening, joining, waiting, linking or restoring a device.
  title: string;
  starting: string;

  // Founding a cell, the blog snippet, and this device's cells.
  foundTitle: string;
  foundIntro: string;
  foundOpen: string;
  cellName: string;
  cellPlace: string;
  cellDescription: string;
  founderName: string;
  cellRelays: string;
  relaysHelp: string;
  found: string;
  cancel: string;
  snippetTitle: string;
  snippetIntro: string;
  snippetHtml: string;
  snippetSpip: string;
  snippetWordpress: string;
  copy: string;
  snippetDone: string;
  myCells: string;
  anotherCell: string;
  /** A cell in the switcher whose name this device does not know yet (still joining). */
  unnamedCell: string;
  relaysTitle: string;
  relaysIntro: string;
  relayUrl: string;
  addRelay: string;
  remove: string;
  removeRelay: (url: string) => string;
  eraseTitle: string;
  eraseIntro: string;
  eraseDevice: string;
  eraseWarning: string;
  eraseNow: string;

  // Errors, worded from their parts (see ErrorParams in core/base/errors.ts); a part not worded here falls
  // back to the error's own (English) message.
  /** An op the rules refuse, with the worded reason. */
  refusedBecause: (reason: string) => string;
  /** The rules' reasons, by the English reason the log gives. */
  reasons: Record<string, string>;
  /** Field names as the forms show them, by the field's name in the error. */
  fields: Record<string, string>;
  fieldProblem: {
    required: (field: string) => string;
    "too-long": (field: string, max: number) => string;
    "not-text": (field: string) => string;
    "not-a-day": (field: string) => string;
    "one-of": (field: string) => string;
  };

  /** The service worker refused an update of the app (not signed by the app's release key): the old one runs. */
  updateRefused: string;
  welcome: string;
  joinTitle: (cell: string) => string;
  joinIntro: string;
  name: string;
  reach: string;
  message: string;
  send: string;
  redeem: string;
  waiting: (cell: string) => string;
  error: string;
  removed: string;
  declined: string;
  /** While a departed device may still read a scope (its key is stale), and the button that renews it. */
  staleKeys: string;
  renewKeys: string;
  /** Relays (listed) serving the cell's public page on a publication chain the cell did not make. */
  foreignEdition: (relays: string) => string;
  recoveryTitle: string;
  recoveryIntro: string;
  recoveryDone: string;
  restoreTitle: string;
  phrase: string;
  restore: string;
  linkThisDevice: string;
  link: string;
  typeCheckCode: string;

  // The tabs.
  journal: string;
  events: string;
  officers: string;
  booklet: string;
  treasury: string;
  devices: string;
  settings: string;

  // Journal and events.
  membersOnly: string;
  noPosts: string;
  write: string;
  postTitle: string;
  postText: string;
  forMembers: string;
  publish: string;
  noEvents: string;
  yes: string;
  maybe: string;
  no: string;
  counts: (yes: number, maybe: number, no: number) => string;

  // Officers: requests, messages, invitations.
  pending: string;
  noPending: string;
  admit: string;
  decline: string;
  inbox: string;
  noInbox: string;
  wantsToJoin: string;
  addToBooklet: (name: string) => string;
  inviteTitle: string;
  inviteRole: string;
  roleName: (role: string) => string;
  inviteLasts: string;
  days: (n: number) => string;
  singleUse: string;
  makeInvite: string;
  inviteLink: string;
  copyLink: string;
  inviteQr: string;

  // My devices.
  thisDevice: string;
  revoke: string;
  linkDevice: string;
  linkShowCode: string;
  linkCode: string;
  linkAnswers: (n: number) => string;
  checkCode: string;
  confirmLink: string;
  linked: string;
  wrongCheck: string;
  expiredLink: string;
  /** More than one device answered a link code: nothing is linked. */
  linkAborted: string;
  linkQr: string;

  // Members and roles, invitations, leaving (issue 12, item 3).
  /** The members tab. */
  members: string;
  memberStatus: (status: "pending" | "member" | "declined" | "removed") => string;
  /** "you", beside this device's member. */
  you: string;
  memberRoles: string;
  noRoles: string;
  memberDevices: string;
  unnamedDevice: string;
  recoveryDevice: string;
  deviceGone: string;
  /** When this device last received something signed by that device. */
  lastSeen: (when: string) => string;
  neverSeen: string;
  deviceName: string;
  saveDeviceName: string;
  grantRole: string;
  grant: string;
  revokeRole: (role: string) => string;
  removeMember: string;
  confirmRemoveMember: (name: string) => string;
  revokeDevice: string;
  confirmRevokeDevice: (device: string, name: string) => string;
  leaveCell: string;
  /** What leaving does, said before it is done. */
  confirmLeave: string;
  confirm: string;
  invitationsTitle: string;
  noInvitations: string;
  invitationUse: (single: boolean) => string;
  invitationExpires: (date: string) => string;
  invitationState: Record<"open" | "used" | "revoked" | "expired", string>;
  revokeInvite: string;

  // Settings.
  language: string;

  // The booklet.
  personName: string;
  personReach: string;
  search: string;
  people: string;
  kinds: Kinds;
  kindsPlural: Kinds;
  kind: string;
  place: string;
  noConsent: string;
  consentGiven: string;
  addPerson: string;
  add: string;
  exportCsv: string;
  importCsv: string;
  importPreview: (rows: number) => string;
  line: (n: number) => string;
  applyImport: string;
  changePerson: (name: string) => string;
  editPerson: (name: string) => string;
  joined: string;
  notes: string;
  consent: string;
  consentRecorded: string;
  consentOn: string;
  consentHow: string;
  hows: Record<"oral" | "written" | "form" | "online", string>;
  save: string;
  claimedBy: string;
  confirmClaim: (name: string) => string;
  claimed: (on: string) => string;
  removePerson: (name: string) => string;
  removeSure: string;
  printList: string;
  showKind: string;
  everyone: string;

  // The treasury.
  noRules: string;
  rulesInForce: (period: "month" | "quarter" | "year", brackets: string) => string;
  person: string;
  period: string;
  amount: string;
  method: string;
  methods: Record<"cash" | "transfer" | "other", string>;
  recordStamp: string;
  duesOf: (period: string) => string;
  upToDate: string;
  behind: (amount: string) => string;
  editRules: string;
  periods: Record<"month" | "quarter" | "year", string>;
  currency: string;
  brackets: string;
  remittedShare: string;
  saveRules: string;
  totals: string;
  totalLine: (collected: string, remitted: string, kept: string) => string;
  subscriptions: string;
  addSubscription: string;
  publication: string;
  from: string;
  to: string;
  paid: string;
  duesHistory: (periods: number) => string;
  missing: string;
  unpaid: string;
  paidPeriod: string;
  latestStamps: string;
  voided: string;
  correction: string;
  correctStamp: string;
  correctSubscription: string;
  saveCorrection: string;
  note: string;
  voidWhy: string;
  voidStamp: string;
  voidSubscription: string;

  // Public content in the member space: posts, events, the profile and pages (issue 12, item 2).
  /** The tab of the profile and pages. */
  site: string;
  postLink: string;
  postLinkTitle: string;
  visibility: string;
  visibilities: Record<"public" | "members" | "officers", string>;
  officersOnly: string;
  pinnedMark: string;
  unpublishedMark: string;
  cancelledMark: string;
  edit: string;
  saveChanges: string;
  stopEditing: string;
  pin: string;
  unpin: string;
  unpublish: string;
  republish: string;
  deleteItem: string;
  confirmDelete: string;
  newEvent: string;
  eventTitle: string;
  eventPlace: string;
  eventStart: string;
  eventEnd: string;
  allDay: string;
  eventDescription: string;
  createEvent: string;
  cancelEvent: string;
  restoreEvent: string;
  /** A form refused: the field named (by its label) and why, in words. */
  fieldRefused: (label: string) => string;
  endBeforeStart: string;
  profileTitle: string;
  profileName: string;
  profilePlace: string;
  profileDescription: string;
  profileContact: string;
  timeZone: string;
  accent: string;
  noAccent: string;
  saveProfile: string;
  pagesTitle: string;
  pageAbout: string;
  pageWhyJoin: string;
  pageContact: string;
  savePages: string;
  saved: string;
  /** Times are shown in the cell's time zone: which one. */
  timesIn: (zone: string) => string;
  // The member space's look and what is waiting to be sent (issue 12, items 11 and 12).
  /** The header's sending state: everything acknowledged by a relay. */
  syncSent: string;
  /** How many changes of this device no relay has acknowledged yet. */
  syncWaiting: (count: number) => string;
  /** No relay connected. */
  syncOffline: string;
  /** Before the first connection to a relay. */
  syncConnecting: string;
  /** The sending state's longer description: relays connected out of those of the cell. */
  syncRelays: (connected: number, total: number) => string;
  /** The journal with no post: what to do next, for those who may write and for the others. */
  emptyJournalWriter: string;
  emptyJournalReader: string;
  /** No event to come: what to do next, for those who may create one and for the others. */
  emptyEventsWriter: string;
  emptyEventsReader: string;
  /** The welcome screen's three ways in, each said in a line under its title. */
  welcomeLinkIntro: string;
  welcomeRestoreIntro: string;
}

/** The widgets' words (card, journal, events). */
export interface WidgetStrings {
  loading: string;
  noAddress: string;
  unreachable: string;
  invalid: string;
  noPosts: string;
  more: string;
  by: (author: string) => string;
  pinned: string;
  contact: string;
  noEvents: string;
  addToCalendar: string;
  subscribe: string;
  // Events (issue 12, item 2): a cancelled event is shown as such.
  cancelled: string;
}

/** The contact form's words (`<cell-contact>`). */
export interface ContactStrings {
  name: string;
  reach: string;
  message: string;
  consent: string;
  send: string;
  sending: string;
  sealed: string;
  sent: string;
  failed: string;
  required: string;
  another: string;
}

/** The join button's words (`<cell-join>`). */
export interface JoinStrings {
  label: string;
  /** The button's title: where it leads. */
  note: string;
}

/** The words of the cell's page a relay serves (`/c/<cellId>`). */
export interface PageStrings {
  journal: string;
  events: string;
  about: string;
  contact: string;
  whyJoin: string;
  by: string;
  place: string;
  empty: string;
  // Events (issue 12, item 2): cancelled ones, and the time zone of the times shown.
  cancelled: string;
  timesIn: (zone: string) => string;
  allDay: string;
}
