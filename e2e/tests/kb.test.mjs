// The knowledge base in the browser: the referent writes an article through
// the forms (with their errors), finds it by searching, and axe-core passes
// on each page; a teacher typing "projecteur" as a ticket's title is offered
// the article (assets/kb.js), and finds what was typed when coming back;
// a teacher of another school is not.
//
// The referent's context is created with bypassCSP: true so that axe-core
// can be injected; the teacher's is not, so the suggestions script runs
// under the real Content-Security-Policy.

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

const TITLE = "Vidéoprojecteur sans signal";
// One of the demo articles (crates/services/src/kb.rs).
const DEMO_PROJECTOR = "Vidéoprojecteur : « Pas de signal »";

let server;
let browser;
let referent; // { context, page }
let kbPath; // /etablissements/{id}/base-de-connaissances of the Lycée Malherbe

async function noViolations(page, where) {
  const violations = await axeViolations(page);
  assert.equal(violations.length, 0, formatViolations(where, violations));
}

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  referent = await newPage(browser, server.baseURL, { bypassCSP: true });
  await signIn(referent.page, DEMO.referent.email);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test("the referent writes an article and finds it; axe passes on every page", async () => {
  const page = referent.page;
  await page.goto("/");
  await page.getByRole("navigation", { name: "Menu principal" }).getByRole("link", { name: "Base de connaissances" }).click();
  await page.waitForLoadState("load");
  kbPath = new URL(page.url()).pathname;
  assert.match(kbPath, /^\/etablissements\/[0-9a-f-]{36}\/base-de-connaissances$/);
  assert.equal(await page.locator("h1").innerText(), "Base de connaissances — Lycée Malherbe");
  // `refnum demo` writes five articles in each demo school.
  assert.equal(await page.locator("#kb-count").innerText(), "5 articles");
  assert.equal(await page.getByRole("link", { name: DEMO_PROJECTOR }).count(), 1);
  await noViolations(page, "knowledge base with the demo articles");

  await page.getByRole("link", { name: "Écrire un article" }).click();
  await page.waitForLoadState("load");
  assert.equal(await page.locator("h1").innerText(), "Nouvel article");
  await noViolations(page, "new article form");

  // Nothing filled: the errors are summarised and next to their fields.
  await page.getByRole("button", { name: "Enregistrer" }).click();
  await page.waitForLoadState("load");
  const summary = page.locator(".error-summary");
  assert.match(await summary.innerText(), /Indiquez un titre\./);
  assert.match(await summary.innerText(), /Écrivez le contenu de l'article\./);
  assert.equal(await page.getByLabel("Titre", { exact: true }).getAttribute("aria-invalid"), "true");
  await noViolations(page, "new article form with errors");

  await page.getByLabel("Titre", { exact: true }).fill(TITLE);
  await page.getByLabel("Résumé (facultatif)").fill("L'image n'arrive pas au vidéoprojecteur de la salle.");
  await page.getByLabel("Catégorie (facultatif)").selectOption("projector");
  await page.getByLabel("Mots-clés (facultatif)").fill("HDMI, source");
  await page.getByLabel("Contenu").fill(
    "Vérifiez d'abord les branchements.\n\n- Touche Source de la télécommande\n- Windows + P, puis Dupliquer\n\n<b>pas de HTML</b>",
  );
  await page.getByRole("button", { name: "Enregistrer" }).click();
  await page.waitForLoadState("load");
  assert.equal(await page.locator("h1").innerText(), TITLE);
  assert.match(await page.getByRole("status").first().innerText(), /L'article a été enregistré\./);
  const items = page.locator(".kb-body li");
  assert.deepEqual(await items.allInnerTexts(), ["Touche Source de la télécommande", "Windows + P, puis Dupliquer"]);
  assert.match(await page.locator(".kb-body").innerText(), /<b>pas de HTML<\/b>/, "shown as text");
  assert.equal(await page.locator(".kb-body b").count(), 0);
  await noViolations(page, "article page");

  // Searched on the server, accents and case folded.
  await page.goto(kbPath);
  await page.getByLabel("Mots recherchés").fill("VIDEOPROJECTEUR");
  await page.getByRole("button", { name: "Rechercher" }).click();
  await page.waitForLoadState("load");
  // Ours, and the two demo articles that speak of a projector (the
  // interactive board's mentions one); not the printer's.
  assert.equal(await page.locator("#kb-count").innerText(), "3 articles");
  const table = page.getByRole("table", { name: "Articles de la base de connaissances" });
  const found = await table.innerText();
  assert.match(found, new RegExp(TITLE));
  assert.ok(found.includes(DEMO_PROJECTOR), found);
  assert.ok(!found.includes("Imprimante"), found);
  await noViolations(page, "search results");

  // The suggestions within the ticket form pass axe too.
  const etab = kbPath.split("/")[2];
  await page.goto(`/etablissements/${etab}/assistance/nouveau`);
  await page.locator('form[data-kb-url] [name="title"]').pressSequentially("projecteur", { delay: 20 });
  await page.locator("#kb-suggestions").getByRole("link", { name: TITLE }).waitFor({ state: "visible" });
  await noViolations(page, "ticket form with suggestions");
});

test("a teacher typing a ticket's title is offered the article", async () => {
  assert.ok(kbPath, "the article of the first test");
  const etab = kbPath.split("/")[2];
  const teacher = await newPage(browser, server.baseURL);
  try {
    const page = teacher.page;
    await signIn(page, DEMO.enseignant.email);
    const form = await page.goto(`/etablissements/${etab}/assistance/nouveau`);
    assert.equal(form.status(), 200);
    assert.equal(await page.locator("form[data-kb-url]").count(), 1, "the ticket form asks for suggestions");
    const region = page.locator("#kb-suggestions");
    assert.equal(await region.getAttribute("aria-live"), "polite");
    const title = page.locator('form[data-kb-url] [name="title"]');
    // Two letters: nothing asked yet.
    await title.pressSequentially("pr", { delay: 30 });
    await page.waitForTimeout(600);
    assert.equal(await region.locator("a").count(), 0);
    await title.pressSequentially("ojecteur", { delay: 30 });
    const link = region.getByRole("link", { name: TITLE });
    await link.waitFor({ state: "visible" });
    // Several articles match (ours and the demo's): the sentence says how many.
    const offered = await region.locator("a").count();
    assert.ok(offered >= 2, `${offered} suggestions`);
    assert.match(await region.innerText(), new RegExp(`^${offered} articles de la base de connaissances peuvent vous aider`));

    // Opening the article keeps what was typed for the way back.
    await page.locator('form[data-kb-url] [name="description"]').fill("Écran bleu en salle 12");
    await link.click();
    await page.waitForLoadState("load");
    assert.equal(await page.locator("h1").innerText(), TITLE);
    await page.goBack();
    await page.waitForLoadState("load");
    assert.equal(await page.locator('form[data-kb-url] [name="title"]').inputValue(), "projecteur");
    assert.equal(
      await page.locator('form[data-kb-url] [name="description"]').inputValue(),
      "Écran bleu en salle 12",
    );
  } finally {
    await teacher.context.close();
  }
});

test("another school's suggestions are not found", async () => {
  const teacher = await newPage(browser, server.baseURL);
  try {
    const page = teacher.page;
    await signIn(page, "enseignant.monod@ac-normandie.test");
    const r = await page.goto(`${kbPath}/suggestions?q=projecteur`);
    assert.equal(r.status(), 404);
    assert.equal(await page.getByRole("link", { name: TITLE }).count(), 0);
  } finally {
    await teacher.context.close();
  }
});
