// Loans in the browser: the referent of the Lycée professionnel Victor
// Lépine (where `refnum demo` lends) lends the demo tablet PRET-TAB-03 to a
// pupil with a charger and a case, each party signs the convention, the
// printable convention names everyone and fits one A4 page, the tablet
// comes back without its charger, and the asset's history and the
// indicators say so. axe-core passes on every new page.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  DEMO,
  axeViolations,
  formatViolations,
  launchBrowser,
  newPage,
  signIn,
  startServer, openFromMenu } from "../harness.mjs";

let server;
let browser;
let referent; // { context, page }
let loansPath; // /etablissements/{id}/prets of the Lycée professionnel Victor Lépine
const REFERENT = "referent.lepine@ac-normandie.test";
const SCHOOL = "Lycée professionnel Victor Lépine";

async function noViolations(page, where) {
  const violations = await axeViolations(page);
  assert.equal(violations.length, 0, formatViolations(where, violations));
}

async function go(page, action) {
  await action();
  await page.waitForLoadState("load");
}

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  referent = await newPage(browser, server.baseURL, { bypassCSP: true });
  await signIn(referent.page, REFERENT);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test("lend, sign, print, return without the charger; history and indicators", async () => {
  const page = referent.page;
  await page.goto("/");
  await openFromMenu(page, "Équipements", "Prêts");
  loansPath = new URL(page.url()).pathname;
  assert.match(loansPath, /^\/etablissements\/[0-9a-f-]{36}\/prets$/);
  assert.equal(await page.locator("h1").innerText(), `Prêts — ${SCHOOL}`);
  // `refnum demo`: two loans out in the first school, one of them overdue.
  assert.equal(await page.locator("#loan-count").innerText(), "2 prêts");
  assert.equal(await page.locator("#loan-list").getByText("En retard").count(), 1);
  await noViolations(page, "loans out");
  await go(page, () => page.getByLabel("Prêts affichés").selectOption("en-retard"));
  await go(page, () => page.getByRole("button", { name: "Rechercher" }).click());
  assert.equal(await page.locator("#loan-count").innerText(), "1 prêt");
  await noViolations(page, "overdue loans");

  // The departure form, first with errors.
  await go(page, () => page.getByRole("link", { name: "Prêter du matériel" }).click());
  assert.equal(await page.locator("h1").innerText(), "Prêter du matériel");
  await noViolations(page, "departure form");
  await go(page, () => page.getByRole("button", { name: "Enregistrer le prêt" }).click());
  const summary = page.locator(".error-summary");
  assert.match(await summary.innerText(), /Choisissez un élève ou un personnel/);
  await noViolations(page, "departure form with errors");

  // The inventory number is looked up as one types.
  const assetField = page.getByLabel("Matériel prêté (numéro d'inventaire)");
  await assetField.pressSequentially("pret-tab", { delay: 20 });
  const offered = page.locator("#asset-suggestions option");
  await offered.first().waitFor({ state: "attached" });
  const values = await offered.evaluateAll((os) => os.map((o) => o.value));
  assert.ok(values.includes("PRET-TAB-03"), `PRET-TAB-03 offered among ${values}`);
  assert.ok(values.every((v) => v.startsWith("PRET-TAB")), `${values}`);
  await assetField.fill("PRET-TAB-03");
  // The borrower is found by typing part of the name, accents ignored.
  const borrower = page.getByLabel("Emprunteur", { exact: true });
  const find = page.getByLabel("Chercher un emprunteur");
  await find.pressSequentially("martin lea", { delay: 20 });
  await page.waitForFunction(() => /trouvée/.test(document.querySelector("[data-filter-count]").textContent));
  const visible = await borrower.locator("option:not([hidden])").allInnerTexts();
  assert.ok(visible.some((t) => t.startsWith("MARTIN Léa")), `${visible}`);
  assert.ok(visible.every((t) => t === "— Choisir —" || /MARTIN L[ée]a/i.test(t)), `only matches: ${visible}`);
  const leaValue = await borrower.locator("option", { hasText: "MARTIN Léa" }).getAttribute("value");
  assert.equal(await borrower.inputValue(), leaValue, "the one match is chosen");
  await page.getByLabel("Date de retour prévue").fill("2027-07-03");
  // One accessory row at first; the button shows the next without leaving.
  assert.equal(await page.getByLabel("Élément 2", { exact: true }).isVisible(), false);
  await page.getByLabel("Élément 1", { exact: true }).fill("Chargeur");
  const formUrl = page.url();
  await page.getByRole("button", { name: "Ajouter un accessoire" }).click();
  assert.equal(page.url(), formUrl);
  const second = page.getByLabel("Élément 2", { exact: true });
  assert.equal(await second.isVisible(), true);
  assert.equal(await page.evaluate(() => document.activeElement.id), "item-1-what", "focus on the new row");
  await noViolations(page, "departure form with look-ups");
  await second.fill("Housse");
  await page.getByLabel("Remarques sur l'élément 2").fill("Coin abîmé");
  await go(page, () => page.getByRole("button", { name: "Enregistrer le prêt" }).click());
  assert.equal(await page.locator("h1").innerText(), "Prêt de PRET-TAB-03");
  assert.match(await page.locator("[role=status]").first().innerText(), /Le prêt a été enregistré/);
  const loanPath = new URL(page.url()).pathname;
  await noViolations(page, "loan page");

  // Each party signs: the pupil, two guardians, the school.
  const parties = page.locator("#loan-parties li");
  assert.equal(await parties.count(), 4);
  const signers = ["Léa Martin", "Claire Martin", "Olivier Martin", "Karim Benali, référent numérique"];
  for (const name of signers) {
    await page.getByLabel("Nom du signataire").fill(name);
    await page.getByLabel("Mode de signature").selectOption(name.startsWith("Léa") ? "tablet" : "paper");
    await go(page, () => page.getByRole("button", { name: "Enregistrer la signature" }).click());
    assert.match(await page.locator("[role=status]").first().innerText(), /La signature a été enregistrée/);
  }
  assert.equal(await page.getByText("Pas encore signé").count(), 0);
  assert.equal(await page.getByLabel("Nom du signataire").count(), 0, "no one left to sign");

  // The printable convention.
  await go(page, () => page.getByRole("link", { name: "Convention imprimable" }).click());
  const conv = await page.locator("main").innerText();
  for (const text of [
    "Convention de prêt de matériel — PRET-TAB-03",
    "Léa MARTIN",
    "Claire MARTIN",
    "Olivier MARTIN",
    `${SCHOOL} (0140018U)`,
    "Région Normandie",
    "Chargeur, Housse",
    "Version 1 « Charte du prêt de matériel numérique »",
    "(en personne sur tablette)",
  ]) {
    assert.ok(conv.includes(text), `the convention shows ${text}`);
  }
  await noViolations(page, "convention");
  await page.emulateMedia({ media: "print" });
  assert.equal(await page.locator(".site-header").isVisible(), false, "no header on paper");
  const pdf = await page.pdf({ format: "A4", printBackground: false });
  const pages = (pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g) || []).length;
  assert.equal(pages, 1, "the convention prints on one A4 page");
  await page.emulateMedia({ media: "screen" });

  // The return: the charger is missing.
  await page.goto(loanPath);
  await go(page, () => page.getByRole("link", { name: "Enregistrer le retour" }).click());
  await noViolations(page, "return form");
  await page.getByLabel("Chargeur", { exact: true }).selectOption("missing");
  await page.getByLabel("Housse", { exact: true }).selectOption("good");
  await page.getByLabel("Remarques au retour").fill("Chargeur perdu à la maison.");
  await go(page, () => page.getByRole("button", { name: "Enregistrer le retour" }).click());
  assert.match(await page.locator("#loan-status").innerText(), /Rendu le .* \(Bon état\)/);
  assert.match(await page.locator("#loan-items").innerText(), /Chargeur\s+Oui\s+Manquant/);

  // The asset's page: the loan and the history with the missing charger.
  await go(page, () => page.getByRole("link", { name: "PRET-TAB-03" }).first().click());
  assert.equal(await page.locator("#parc-loans-table tbody tr").count(), 1);
  const hist = await page.locator("#parc-history").innerText();
  assert.match(hist, /Retour de prêt/);
  assert.match(hist, /Éléments manquants au retour : « Aucun » → « Chargeur »/);
  assert.match(hist, /Départ en prêt/);
  await noViolations(page, "asset page with its loans");

  // The indicators: the return with an item missing is counted.
  await page.goto(`${loansPath.replace(/\/prets$/, "")}/indicateurs/parc`);
  assert.equal(await page.locator("#ind-loans-lost").innerText(), "2", "the demo's and this one");
  assert.equal(await page.locator("#ind-loans-out").innerText(), "2");
  await noViolations(page, "indicators with loans");

  // The charter page.
  await page.goto(`${loansPath}/charte`);
  assert.equal(await page.locator("h1").innerText(), "Charte de prêt");
  await noViolations(page, "loan charter");
});

test("a teacher sees their own loans only", async () => {
  const teacher = await newPage(browser, server.baseURL, { bypassCSP: true });
  await signIn(teacher.page, DEMO.enseignant.email);
  const page = teacher.page;
  // Their current school is the Lycée Malherbe: its menu offers their loans there.
  await page.goto("/");
  const nav = page.locator("nav#navigation");
  assert.equal(await nav.locator("a", { hasText: /^Mes prêts$/ }).count(), 1);
  assert.equal(await nav.locator("a", { hasText: /^Prêts$/ }).count(), 0);
  await page.goto(`${loansPath}/mes-prets`);
  assert.equal(await page.locator("h1").innerText(), "Mes prêts");
  // At the Lycée professionnel, the demo's returned laptop was lent to this teacher.
  assert.equal(await page.locator("#loan-count").innerText(), "1 prêt");
  assert.match(await page.locator("#loan-list").innerText(), /PRET-PC-01/);
  await noViolations(page, "my loans");
  await teacher.context.close();
});
