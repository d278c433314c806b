import "../define-all.js";
import { mount, publishTestEdition, rendered } from "../shared/edition.test-support.js";

declare const describe: (name: string, fn: () => void) => void;
declare const it: (name: string, fn: () => Promise<void>) => void;

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

describe("<cell-card>", () => {
  it("shows the cell's verified profile, in French or English", async () => {
    const { cellId, relay } = await publishTestEdition({
      profile: {
        name: "Cellule du 11e",
        place: "Paris 11e",
        description: "Une cellule de quartier.\nNous nous réunissons le mardi.",
        contact: "cellule11@exemple.org",
      },
    });
    const fr = mount(`<cell-card cell="${relay}/c/${cellId}"><button>Rejoindre</button></cell-card>`);
    const en = mount(`<cell-card cell="${relay}/c/${cellId}" lang="en"></cell-card>`);
    try {
      await rendered(fr.el, (r) => !!r.querySelector("[part=name]"), "the card");
      const root = fr.el.shadowRoot!;
      check(root.querySelector("[part=name]")!.textContent === "Cellule du 11e", "name");
      check(root.querySelector("[part=place]")!.textContent === "Paris 11e", "place");
      check(root.querySelector("[part=contact]")!.textContent!.includes("cellule11@exemple.org"), "contact");
      check(root.querySelector("slot") !== null, "a slot for the blogger's own buttons");
      check(
        root.querySelector("section")!.getAttribute("aria-label") === "Cellule du 11e",
        "labelled region",
      );
      await rendered(en.el, (r) => !!r.querySelector("[part=contact]"), "the English card");
      check(
        en.el.shadowRoot!.querySelector("[part=contact]")!.textContent!.startsWith("Contact"),
        "English label",
      );
    } finally {
      fr.remove();
      en.remove();
    }
  });

  it("says the relays are unreachable instead of showing a blank box", async () => {
    const { el, remove } = mount(`<cell-card cell="http://127.0.0.1:9/c/${"a".repeat(64)}"></cell-card>`);
    try {
      await rendered(el, (r) => !!r.querySelector("[role=alert]"), "the message");
      check(el.shadowRoot!.textContent!.includes("ne répondent pas"), el.shadowRoot!.textContent!);
    } finally {
      remove();
    }
  });
});
