// Asset list import in the browser, as a referent does it: the form, a file
// with a bad line (the preview names it, nothing can be applied), a good
// file, its preview, apply; then the QR label sheet. axe-core runs on each
// page (bypassCSP context so that axe-core can be injected).

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { DEMO, axeViolations, formatViolations, launchBrowser, newPage, signIn, startServer } from "../harness.mjs";

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function noViolations(page, where) {
  const violations = await axeViolations(page);
  assert.equal(violations.length, 0, formatViolations(where, violations));
}

const HEADER =
  "numero_inventaire;categorie;fabricant;modele;numero_serie;proprietaire;financement;date_achat;fin_garantie;salle;batiment;statut;parent;detenteur;notes";

function csv(lines) {
  return { name: "parc.csv", mimeType: "text/csv", buffer: Buffer.from([HEADER, ...lines].join("\r\n") + "\r\n", "utf8") };
}

/** Sends a file from the import form; waits for the preview. */
async function sendFile(page, form, file) {
  await page.goto(form);
  await page.setInputFiles("#field-file", file);
  await Promise.all([
    page.waitForURL((url) => /\/parc\/import\/[0-9a-f-]+$/.test(url.pathname)),
    page.getByRole("button", { name: "Voir l'aperçu" }).click(),
  ]);
  assert.equal(await page.locator("h1").innerText(), "Aperçu de l'import");
}

test("a referent previews an asset list, sees its bad line, then applies a good one and prints labels", async () => {
  const { context, page } = await newPage(browser, server.baseURL, { bypassCSP: true });
  try {
    await signIn(page, DEMO.referent.email);
    await page.goto("/");
    const parc = await page.locator('nav#navigation a[href$="/parc"]:not([href*="/indicateurs/"])').first().getAttribute("href");
    assert.ok(parc, "the navigation links to the parc");
    const form = `${parc}/import`;
    await page.goto(form);
    assert.equal(await page.locator("h1").innerText(), "Importer des équipements");
    await noViolations(page, "the import form");

    // A bad date on line 3: named on the preview, no apply button.
    await sendFile(page, form, csv(["E2E-PC-1;portable;Lenovo", "E2E-PC-2;portable;Lenovo;;;;;31/02/2023"]));
    const errors = page.locator("#import-errors tbody tr");
    assert.equal(await errors.count(), 1);
    assert.equal(await errors.first().locator("td").nth(0).innerText(), "3");
    assert.equal(await errors.first().locator("td").nth(1).innerText(), "date_achat");
    assert.equal(await page.getByRole("button", { name: "Appliquer l'import" }).count(), 0);
    await noViolations(page, "a preview with errors");

    // A good file: preview, apply, the list shows the assets.
    await sendFile(
      page,
      form,
      csv([
        "E2E-PC-1;portable;Lenovo;ThinkPad L14;;Région Normandie;;2023-09-01;;Salle 12;Bâtiment B",
        "E2E-VP-1;vidéoprojecteur;Epson;EB-W51;;;;;;Salle 12;Bâtiment B;en panne",
      ]),
    );
    const added = page.locator("dt", { hasText: "À ajouter" }).locator("xpath=following-sibling::dd[1]");
    assert.equal(await added.innerText(), "2");
    await noViolations(page, "the import preview");
    await Promise.all([
      page.waitForURL((url) => url.pathname === parc && url.searchParams.get("fait") === "parcfiles-imported"),
      page.getByRole("button", { name: "Appliquer l'import" }).click(),
    ]);
    const main = await page.locator("main").innerText();
    assert.match(main, /L'import a été appliqué/);
    assert.match(main, /E2E-PC-1/);
    assert.match(main, /E2E-VP-1/);

    // The label sheet: two QR labels after one used label.
    await page.goto(`${parc}/etiquettes?format=3x8-70x37&decalage=1`);
    // (the demo's carts and laptops have their labels too: only the imported ones are counted)
    const numbers = await page.locator(".sheet .qr-label__number").allInnerTexts();
    assert.deepEqual(numbers.filter((n) => n.startsWith("E2E-")), ["E2E-PC-1", "E2E-VP-1"]);
    assert.equal(await page.locator(".sheet .qr-label--empty").count(), 1);
    await noViolations(page, "the label sheet");
  } finally {
    await context.close();
  }
});
