/**
 * The officer's inbox page of the demo: the contact requests visitors left through `<cell-contact>`, as the
 * officer's device opened them (`Cell.contacts()`). Everything a visitor typed is escaped. The member
 * space will show this inbox to officers on their own devices; the demo shows its officer's here.
 */
import type { ReceivedContact } from "../core/index.js";

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function item(c: ReceivedContact, accepted: boolean): string {
  const when = new Date(c.at).toLocaleString("fr-FR", { dateStyle: "long", timeStyle: "short" });
  const join = !c.device
    ? ""
    : accepted
      ? "<p><strong>Demande d'adhésion acceptée.</strong></p>"
      : `<form method="post" action="/officier/accepter?id=${encodeURIComponent(c.id)}">
          <p><strong>Demande d'adhésion</strong> <button>Accepter</button></p>
        </form>`;
  return `<li>
      <h2>${escapeHtml(c.name)}</h2>
      <p class="meta">${escapeHtml(when)} · ${c.lang === "en" ? "anglais" : "français"} · consentement donné</p>
      <p><strong>Pour le joindre :</strong> ${escapeHtml(c.reach)}</p>
      ${c.message ? `<p class="message">${escapeHtml(c.message)}</p>` : ""}
      ${join}
    </li>`;
}

/**
 * The whole page; it reloads itself every few seconds. `accepted` says which requests to join were
 * accepted (their device is in the cell).
 */
export function renderInbox(
  contacts: ReceivedContact[],
  cellName: string,
  accepted: (c: ReceivedContact) => boolean,
): string {
  return `<!doctype html>
<html lang="fr">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <meta http-equiv="refresh" content="5" />
    <title>Boîte de l'officière — ${escapeHtml(cellName)}</title>
    <link rel="stylesheet" href="/demo.css" />
  </head>
  <body>
    <header>
      <h1>Boîte de l'officière</h1>
      <p>Les messages laissés par les visiteurs de <a href="/contact/">la page contact</a> du blog, ouverts par
        l'appareil de l'officière de ${escapeHtml(cellName)} (ici, le serveur de démonstration). Les relais n'en
        gardent qu'une version chiffrée.</p>
      <p lang="en" class="en">The requests visitors left on the blog's contact page, opened by the officer's
        device. The relays keep only ciphertext.</p>
    </header>
    <main>
      ${
        contacts.length === 0
          ? "<p>Aucun message pour le moment.</p>"
          : `<ol class="inbox" aria-label="Messages reçus">${contacts.map((c) => item(c, accepted(c))).join("")}</ol>`
      }
    </main>
  </body>
</html>
`;
}
