/** The demo cell's sample content, in French: what a neighbourhood cell would publish in its first weeks. */
import type { CellSite } from "../core/index.js";

const DAY = 86_400_000;
const HOUR = 3_600_000;

/** A day `days` from today at `hour` o'clock (local time of the demo's machine). */
function at(days: number, hour: number): number {
  const d = new Date(Date.now() + days * DAY);
  d.setHours(hour, 0, 0, 0);
  return d.getTime();
}

/** Writes the sample profile, pages, posts and events into a new cell's site. */
export async function seedSite(site: CellSite): Promise<void> {
  site.site.setProfile({
    ...site.site.profile,
    name: "Cellule Louise-Michel",
    place: "Lyon 7e — Guillotière",
    description:
      "Une cellule de quartier : voisines et voisins, salariés, étudiants, retraités.\n" +
      "Nous nous réunissons le mardi soir à la Maison des passages, 44 rue Saint-Georges.",
    contact: "Permanence le samedi de 10 h à 12 h au marché de la place Guichard.",
  });
  site.site.setPages({
    about:
      "Fondée en 2016 par une dizaine d'habitants du quartier, la cellule compte aujourd'hui 38 adhérents.",
    contact:
      "Écrivez-nous avec le formulaire : seuls les responsables de la cellule peuvent lire votre message.",
    whyJoin: "Parce qu'on est plus forts ensemble : loyers, écoles, services publics, on s'organise.",
  });
  const author = "Fatima Benali";
  const posts = [
    {
      id: "charte",
      title: "Notre charte",
      text: "Ce que nous défendons, comment nous décidons, comment adhérer.\nÀ lire avant la première réunion.",
      date: at(-40, 18),
      pinned: true,
    },
    {
      id: "loyers",
      title: "Loyers : le collectif des locataires de la rue Béchevelin",
      text:
        "Après trois réunions d'immeuble, 24 locataires ont signé la lettre commune au bailleur.\n" +
        "Prochaine étape : une délégation à la mairie d'arrondissement.",
      link: "https://www.service-public.fr/particuliers/vosdroits/F1311",
      linkTitle: "Vos droits : l'augmentation de loyer",
      date: at(-2, 9),
    },
    {
      id: "ecole",
      title: "École Gilbert-Dru : une classe menacée",
      text: "Les parents d'élèves se mobilisent contre la fermeture d'une classe à la rentrée. Pétition au marché samedi.",
      date: at(-6, 20),
    },
    {
      id: "bilan",
      title: "Bilan de la fête de quartier",
      text: "Plus de 200 personnes, 40 nouvelles signatures, 6 adhésions. Merci à toutes et à tous !",
      date: at(-12, 11),
    },
    {
      id: "journal",
      title: "Le journal de la cellule, numéro 12",
      text: "Au sommaire : les loyers, la piscine du Rhône, la parole aux livreurs à vélo.",
      date: at(-20, 8),
    },
  ];
  for (const post of posts) await site.journal.put({ ...post, author });
  await site.membersJournal.put({
    id: "ordre-du-jour",
    title: "Ordre du jour de mardi",
    text: "1. Loyers : la délégation\n2. Cotisations du trimestre\n3. Préparation de la manifestation",
    author,
    date: at(-1, 19),
  });
  const events = [
    {
      id: "reunion-publique",
      title: "Réunion publique : nos loyers",
      description: "Avec le collectif des locataires. Entrée libre, garde d'enfants sur place.",
      place: "Maison des passages, 44 rue Saint-Georges",
      start: at(3, 19),
      end: at(3, 19) + 2 * HOUR,
    },
    {
      id: "manifestation",
      title: "Manifestation pour les services publics",
      description: "Départ groupé de la cellule à 13 h 30 devant la station Guillotière.",
      place: "Place Bellecour",
      start: at(9, 14),
      end: at(9, 14) + 3 * HOUR,
    },
    {
      id: "marche",
      title: "Permanence au marché",
      description: "Pétition pour l'école Gilbert-Dru, journal de la cellule, adhésions.",
      place: "Place Guichard",
      start: at(5, 10),
      end: at(5, 12),
    },
  ];
  for (const event of events) await site.agenda.put(event);
  await site.membersAgenda.put({
    id: "bureau",
    title: "Réunion du bureau",
    description: "Cotisations et préparation de l'assemblée.",
    place: "Chez Louis",
    start: at(4, 20),
    end: at(4, 22),
  });
}
