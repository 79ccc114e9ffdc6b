// The parc pages in the browser, as a referent uses them: buildings and
// rooms (with their forms' errors), the asset form, an asset's page, the
// list with its filters, the exports that keep those filters, and the QR
// labels of the assets ticked on the list. axe-core passes on every page
// (bypassCSP context so that axe-core can be injected).

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

/** Clicks a button that submits a form and waits for the page it answers. */
async function submit(page, name) {
  await Promise.all([page.waitForLoadState("load"), page.getByRole("button", { name, exact: true }).click()]);
  await page.waitForLoadState("load");
}

/** The demo carts and laptops of `refnum demo` (inventory numbers `D0140-…`). */
const isDemo = (number) => /^D\d{4}-/.test(number);

/** The inventory numbers of the list's rows, in order, without the demo's. */
async function listed(page) {
  const all = await page.locator("table.data-table tbody th[scope=row]").allInnerTexts();
  return all.filter((n) => !isDemo(n));
}

test("a referent records places and assets, filters, exports and prints the labels of a selection", async () => {
  const { context, page } = await newPage(browser, server.baseURL, { bypassCSP: true });
  try {
    await signIn(page, DEMO.referent.email);
    await page.goto("/");
    const parc = await page.locator('nav#navigation a[href$="/parc"]:not([href*="/indicateurs/"])').first().getAttribute("href");
    assert.match(parc, /^\/etablissements\/[0-9a-f-]{36}\/parc$/);
    await page.goto(parc);
    assert.equal(await page.locator("h1").innerText(), "Parc informatique");
    await noViolations(page, "the empty asset list");

    // A building, after an empty form's errors.
    await page.goto(`${parc}/batiments`);
    await noViolations(page, "the buildings page");
    await submit(page, "Ajouter le bâtiment");
    assert.ok(await page.locator(".error-summary").isVisible());
    await noViolations(page, "the building form with errors");
    await page.getByLabel("Nom", { exact: true }).fill("Bâtiment B");
    await submit(page, "Ajouter le bâtiment");
    assert.match(await page.locator("#parc-buildings").innerText(), /Bâtiment B/);
    await noViolations(page, "the buildings page with a building");
    await page.locator("#parc-buildings").getByRole("link").first().click();
    await page.waitForLoadState("load");
    assert.match(new URL(page.url()).pathname, /\/batiments\/[0-9a-f-]{36}\/modifier$/);
    await noViolations(page, "the building edit form");

    // A room in it, after an empty form's errors.
    await page.goto(`${parc}/salles`);
    await noViolations(page, "the rooms page");
    await submit(page, "Ajouter la salle");
    assert.ok(await page.locator(".error-summary").isVisible());
    await noViolations(page, "the room form with errors");
    await page.getByLabel("Nom", { exact: true }).fill("Salle 12");
    const building = await page.locator("#field-building option", { hasText: "Bâtiment B" }).getAttribute("value");
    await page.locator("#field-building").selectOption(building);
    await submit(page, "Ajouter la salle");
    await page.locator("#parc-rooms").getByRole("link", { name: "Salle 12", exact: true }).click();
    await page.waitForLoadState("load");
    const roomPath = new URL(page.url()).pathname;
    await noViolations(page, "a room's page");
    await page.goto(`${roomPath}/modifier`);
    await noViolations(page, "the room edit form");

    // Three assets through the form; the first attempt is empty.
    await page.goto(`${parc}/nouveau`);
    await noViolations(page, "the asset form");
    await submit(page, "Enregistrer");
    assert.ok(await page.locator(".error-summary").isVisible());
    assert.equal(await page.locator("#field-inventory_number").getAttribute("aria-invalid"), "true");
    await noViolations(page, "the asset form with errors");
    const assets = [
      ["PC-E2E-1", "laptop", "Lenovo", "ThinkPad L14"],
      ["PC-E2E-2", "laptop", "Dell", "Latitude 3440"],
      ["VP-E2E-1", "projector", "Epson", "EB-W51"],
    ];
    for (const [number, category, manufacturer, model] of assets) {
      await page.goto(`${parc}/nouveau`);
      await page.locator("#field-inventory_number").fill(number);
      await page.locator("#field-category").selectOption(category);
      await page.locator("#field-manufacturer").fill(manufacturer);
      await page.locator("#field-model").fill(model);
      const room = await page.locator("#field-room option", { hasText: "Salle 12" }).getAttribute("value");
      await page.locator("#field-room").selectOption(room);
      await submit(page, "Enregistrer");
      await page.waitForURL((u) => /\/parc\/equipements\/[0-9a-f-]{36}$/.test(u.pathname));
    }
    await noViolations(page, "an asset's page");
    const assetPath = new URL(page.url()).pathname;
    await page.goto(`${assetPath}/modifier`);
    await noViolations(page, "the asset edit form");

    // The list, filtered on laptops: the export links carry the filter and
    // the files hold only the listed rows.
    await page.goto(parc);
    await page.locator("#field-categorie").selectOption("laptop");
    await submit(page, "Filtrer");
    assert.equal(new URL(page.url()).searchParams.get("categorie"), "laptop");
    assert.deepEqual(await listed(page), ["PC-E2E-1", "PC-E2E-2"]);
    await noViolations(page, "the filtered asset list");
    for (const name of ["Exporter (CSV)", "Exporter (ODS)"]) {
      const href = await page.getByRole("link", { name }).getAttribute("href");
      assert.equal(new URL(href, server.baseURL).searchParams.get("categorie"), "laptop", `${name}: ${href}`);
    }
    const csvHref = await page.getByRole("link", { name: "Exporter (CSV)" }).getAttribute("href");
    const csv = await (await page.request.get(csvHref)).text();
    const numbers = csv
      .trim()
      .split(/\r?\n/)
      .slice(1)
      .map((line) => line.split(";")[0])
      .filter((n) => !isDemo(n));
    assert.deepEqual(numbers, ["PC-E2E-1", "PC-E2E-2"]);

    // Nothing ticked: the labels action says so next to the selection.
    await page.goto(parc);
    assert.deepEqual(await listed(page), ["PC-E2E-1", "PC-E2E-2", "VP-E2E-1"]);
    await submit(page, "Imprimer les étiquettes des équipements cochés");
    assert.match(await page.locator(".error-summary").innerText(), /Cochez au moins un équipement/);
    assert.match(await page.locator("#error-ids").innerText(), /Cochez au moins un équipement/);
    await noViolations(page, "the asset list with the selection's error");

    // Two ticked: their labels, and only theirs.
    await page.getByRole("checkbox", { name: /PC-E2E-1/ }).check();
    await page.getByRole("checkbox", { name: /VP-E2E-1/ }).check();
    await submit(page, "Imprimer les étiquettes des équipements cochés");
    assert.match(new URL(page.url()).pathname, /\/parc\/etiquettes$/);
    assert.equal(await page.locator("#labels-selection").innerText(), "Étiquettes des 2 équipements choisis.");
    await noViolations(page, "the labels form for a selection");
    await submit(page, "Préparer les étiquettes");
    const labels = page.locator(".sheet .qr-label:not(.qr-label--empty)");
    assert.equal(await labels.count(), 2);
    assert.deepEqual(await page.locator(".sheet .qr-label__number").allInnerTexts(), ["PC-E2E-1", "VP-E2E-1"]);
    await noViolations(page, "the label sheet of a selection");

    // The labels form on its own, and with a bad offset.
    await page.goto(`${parc}/etiquettes`);
    await noViolations(page, "the labels form");
    await page.getByLabel("Étiquettes déjà utilisées").fill("99");
    await submit(page, "Préparer les étiquettes");
    assert.ok(await page.locator(".error-summary").isVisible());
    await noViolations(page, "the labels form with errors");
  } finally {
    await context.close();
  }
});
