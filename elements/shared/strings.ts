/** The widgets' words, French first, and English. A page sets `lang="en"` on a widget for English. */

export type Lang = "fr" | "en";

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
}

const STRINGS: Record<Lang, WidgetStrings> = {
  fr: {
    loading: "Chargement…",
    noAddress: "Adresse de cellule manquante ou invalide.",
    unreachable: "Les relais de cette cellule ne répondent pas pour le moment.",
    invalid: "Contenu non affiché : impossible de vérifier qu'il est signé par cette cellule.",
    noPosts: "Aucun article pour le moment.",
    more: "Plus d'articles",
    by: (author) => `par ${author}`,
    pinned: "Épinglé",
    contact: "Contact",
    noEvents: "Aucun événement à venir.",
    addToCalendar: "Ajouter à mon agenda",
    subscribe: "S'abonner au calendrier de la cellule",
  },
  en: {
    loading: "Loading…",
    noAddress: "Missing or invalid cell address.",
    unreachable: "This cell's relays are not answering right now.",
    invalid: "Not shown: this content could not be verified as signed by the cell.",
    noPosts: "No posts yet.",
    more: "More posts",
    by: (author) => `by ${author}`,
    pinned: "Pinned",
    contact: "Contact",
    noEvents: "No upcoming events.",
    addToCalendar: "Add to my calendar",
    subscribe: "Subscribe to the cell's calendar",
  },
};

/** The strings for a `lang` attribute (French unless it says English). */
export function stringsFor(lang: string | null | undefined): { lang: Lang; t: WidgetStrings } {
  const l: Lang = lang?.toLowerCase().startsWith("en") ? "en" : "fr";
  return { lang: l, t: STRINGS[l] };
}
