/** The member space's words, French first, and English. */
import type { Lang } from "../shared/strings.js";

const FR = {
  title: "Espace des membres",
  starting: "Ouverture…",
  welcome: "Ouvrez le lien d'adhésion de votre cellule (sur son site, ou reçu d'un responsable).",
  joinTitle: (cell: string) => (cell ? `Adhérer à ${cell}` : "Adhérer à la cellule"),
  joinIntro:
    "Vos clés sont créées sur cet appareil et ne le quittent pas. Un responsable de la cellule validera votre adhésion.",
  name: "Votre nom",
  reach: "Comment vous joindre (courriel, téléphone)",
  message: "Un mot pour la cellule",
  send: "Demander l'adhésion",
  redeem: "Rejoindre la cellule",
  waiting: (cell: string) =>
    `Demande envoyée${cell ? ` à ${cell}` : ""}. Un responsable doit la valider : cette page s'ouvrira sur la cellule dès que ce sera fait.`,
  error: "Quelque chose ne va pas :",
  journal: "Journal",
  events: "Agenda",
  officers: "Responsables",
  membersOnly: "Réservé aux membres",
  noPosts: "Aucun article pour le moment.",
  write: "Écrire un article",
  postTitle: "Titre",
  postText: "Texte",
  forMembers: "Réservé aux membres",
  publish: "Publier",
  noEvents: "Aucun rendez-vous à venir.",
  yes: "Je viens",
  maybe: "Peut-être",
  no: "Je ne viens pas",
  counts: (y: number, m: number, n: number) => `${y} oui · ${m} peut-être · ${n} non`,
  pending: "Demandes d'adhésion",
  noPending: "Aucune demande en attente.",
  admit: "Accepter",
  decline: "Refuser",
  inbox: "Messages reçus",
  noInbox: "Aucun message.",
  wantsToJoin: "demande à adhérer",
};

type AppStrings = typeof FR;

const EN: AppStrings = {
  title: "Member space",
  starting: "Opening…",
  welcome: "Open your cell's join link (on its site, or from one of its officers).",
  joinTitle: (cell) => (cell ? `Join ${cell}` : "Join the cell"),
  joinIntro:
    "Your keys are made on this device and never leave it. An officer of the cell will confirm your membership.",
  name: "Your name",
  reach: "How to reach you (email, phone)",
  message: "A word for the cell",
  send: "Ask to join",
  redeem: "Join the cell",
  waiting: (cell) =>
    `Request sent${cell ? ` to ${cell}` : ""}. An officer must confirm it: this page opens on the cell as soon as they do.`,
  error: "Something is wrong:",
  journal: "Journal",
  events: "Events",
  officers: "Officers",
  membersOnly: "Members only",
  noPosts: "No posts yet.",
  write: "Write a post",
  postTitle: "Title",
  postText: "Text",
  forMembers: "Members only",
  publish: "Publish",
  noEvents: "No upcoming events.",
  yes: "I'm coming",
  maybe: "Maybe",
  no: "Not coming",
  counts: (y, m, n) => `${y} yes · ${m} maybe · ${n} no`,
  pending: "Requests to join",
  noPending: "No pending request.",
  admit: "Accept",
  decline: "Decline",
  inbox: "Messages",
  noInbox: "No message.",
  wantsToJoin: "asks to join",
};

/** The member space's strings for a language. */
export const appStrings = (lang: Lang): AppStrings => (lang === "en" ? EN : FR);
export type { AppStrings };
