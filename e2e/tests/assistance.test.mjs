// The helpdesk in the browser, from a QR label to the provider's fix: the
// referent records a projector (its page gives the QR address); someone
// holding the label, on a phone-sized screen and without an account,
// reports the fault and gets its number; the referent escalates the ticket
// to the académie's assistance; its technician, signed in, sees only that
// ticket and resolves it. axe-core passes on every page visited.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  DEMO,
  axeViolations,
  formatViolations,
  launchBrowser,
  newPage,
  signIn,
  startServer,
} from "../harness.mjs";

const TECH = "technicien@assistance.test";
const ORG = "Assistance académique de Normandie";

let server;
let browser;

async function noViolations(page, where) {
  const violations = await axeViolations(page);
  assert.equal(violations.length, 0, formatViolations(where, violations));
}

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test("a fault reported from the QR label on a phone reaches the provider, who resolves it", async () => {
  // The referent records the projector of room 12.
  const referent = await newPage(browser, server.baseURL, { bypassCSP: true });
  await signIn(referent.page, DEMO.referent.email);
  let page = referent.page;
  await page.goto("/");
  await page.getByRole("navigation", { name: "Menu principal" }).getByRole("link", { name: "Parc" }).click();
  await page.waitForLoadState("load");
  const parcPath = new URL(page.url()).pathname;
  const etab = parcPath.split("/")[2];
  await page.goto(`/etablissements/${etab}/parc/nouveau`);
  await page.locator("#field-inventory_number").fill("VP-S12");
  await page.locator("#field-category").selectOption("projector");
  await page.locator("#field-manufacturer").fill("Epson");
  await page.locator("#field-model").fill("EB-W51");
  await Promise.all([page.waitForLoadState("load"), page.getByRole("button", { name: "Enregistrer" }).click()]);
  await page.waitForURL((u) => /\/parc\/equipements\//.test(u.pathname));
  const qrHref = await page.getByRole("link", { name: "Ouvrir la page du QR code" }).getAttribute("href");
  assert.match(qrHref, /^\/q\/[A-Za-z0-9_-]+$/);

  // Someone holding the label, on a phone, without an account.
  const phone = await newPage(browser, server.baseURL, {
    bypassCSP: true,
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
  });
  const p = phone.page;
  await p.goto(qrHref);
  assert.equal(await p.locator("h1").innerText(), "Signaler une panne");
  assert.ok(!(await p.locator("main").innerText()).includes("Lycée Malherbe"));
  await noViolations(p, "QR fault form");
  // No name: the error is summarised and next to the field.
  await p.getByLabel("Qu'est-ce qui ne va pas ?").fill("Plus d'image, le voyant clignote en orange.");
  await Promise.all([p.waitForLoadState("load"), p.getByRole("button", { name: "Envoyer le signalement" }).click()]);
  assert.match(await p.locator(".error-summary").innerText(), /Ce champ est obligatoire/);
  assert.equal(await p.getByLabel("Votre nom").getAttribute("aria-invalid"), "true");
  await noViolations(p, "QR fault form with errors");
  await p.getByLabel("Votre nom").fill("Camille Durand");
  await p.getByLabel("L'équipement est inutilisable").check();
  await Promise.all([p.waitForLoadState("load"), p.getByRole("button", { name: "Envoyer le signalement" }).click()]);
  assert.equal(await p.locator("h1").innerText(), "Merci, votre signalement est enregistré");
  const thanks = await p.locator("main").innerText();
  const number = thanks.match(/numéro (\d+)/)?.[1];
  assert.ok(number, thanks);
  assert.ok(!thanks.includes("Lycée Malherbe"));
  await noViolations(p, "QR thank-you page");
  await phone.context.close();

  // The referent finds it in the list and escalates it.
  await page.goto("/assistance");
  await noViolations(page, "ticket list (referent)");
  await page.getByRole("link", { name: `#${number}` }).click();
  await page.waitForLoadState("load");
  assert.match(await page.locator("h1").innerText(), new RegExp(`Ticket n° ${number} : Plus d'image`));
  assert.match(await page.locator("main").innerText(), /Équipement inutilisable/);
  await noViolations(page, "ticket page (referent)");
  await page.getByLabel("Prestataire", { exact: true }).selectOption({ label: ORG });
  await page.getByLabel("Référence chez le prestataire", { exact: true }).fill("INC-2026-118");
  await Promise.all([page.waitForLoadState("load"), page.getByRole("button", { name: "Transmettre au prestataire" }).click()]);
  assert.match(await page.locator("[role=status]").first().innerText(), /transmis au prestataire/);
  assert.match(await page.locator("main").innerText(), /Transmis au prestataire/);
  await noViolations(page, "ticket page after escalation");
  const ticketPath = new URL(page.url()).pathname;
  await referent.context.close();

  // The technician sees only that ticket and resolves it.
  const tech = await newPage(browser, server.baseURL, { bypassCSP: true });
  await signIn(tech.page, TECH);
  page = tech.page;
  await page.goto("/assistance");
  const rows = page.locator("table.data-table tbody tr");
  assert.equal(await rows.count(), 1);
  assert.match(await rows.first().innerText(), new RegExp(`#${number}`));
  await noViolations(page, "ticket list (technician)");
  await rows.first().getByRole("link", { name: `#${number}` }).click();
  await page.waitForLoadState("load");
  assert.equal(new URL(page.url()).pathname, ticketPath);
  assert.match(await page.locator("main").innerText(), /INC-2026-118/);
  await noViolations(page, "ticket page (technician)");
  await Promise.all([page.waitForLoadState("load"), page.getByRole("button", { name: "Marquer comme résolu" }).click()]);
  assert.match(await page.locator("main").innerText(), /Statut : Résolu/);
  await noViolations(page, "ticket page after resolution");
  await tech.context.close();
});
