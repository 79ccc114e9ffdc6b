// The mission letter in the browser: the head and the referent of the Lycée
// Malherbe draft next year's letter together, with two indicators bound to
// figures RefNum computes and one typed by hand (a target that is not a
// number is refused first); the referent comments and proposes it; the
// head signs with the password typed again (a wrong one signs nothing);
// the referent acknowledges; editing the signed letter is refused; an
// amendment shows its differences; the printed letter keeps to the A4
// print stylesheet (a screenshot in print media is kept); axe finds
// nothing on these pages in the light, dark and high-contrast themes.

import assert from "node:assert/strict";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { after, before, test } from "node:test";
import {
  DEMO,
  PASSWORD,
  axeViolations,
  formatViolations,
  htmlDisplay,
  launchBrowser,
  newPage,
  openFromMenu,
  saveDisplay,
  signIn,
  startServer,
} from "../harness.mjs";

const THEMES = ["light", "dark", "contrast"];
let server;
let browser;
let head; // { context, page }
let referent;
let letterPath;
let lettersPath;

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
  head = await newPage(browser, server.baseURL, { bypassCSP: true });
  referent = await newPage(browser, server.baseURL, { bypassCSP: true });
  await signIn(head.page, DEMO.direction.email);
  await signIn(referent.page, DEMO.referent.email);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test("the head and the referent draft, sign, acknowledge and amend a letter", async () => {
  const page = head.page;
  await page.goto("/");
  await openFromMenu(page, "Pilotage", "Lettres de mission");
  lettersPath = new URL(page.url()).pathname;
  assert.match(lettersPath, /^\/etablissements\/[0-9a-f-]{36}\/pilotage\/lettres$/);
  // `refnum demo`: last year's letter reviewed, this year's signed.
  const rows = page.locator("#letters tbody tr");
  assert.equal(await rows.count(), 2);
  assert.match(await rows.nth(0).innerText(), /Signée/);
  assert.match(await rows.nth(1).innerText(), /Bilan établi/);
  await noViolations(page, "letters");

  // The form: next school year (this one has its signed letter).
  await go(page, () => page.getByRole("link", { name: "Rédiger la lettre de mission" }).click());
  await noViolations(page, "new letter form");
  const year = page.locator("#field-school_year");
  const years = await year.locator("option").evaluateAll((os) => os.map((o) => o.value));
  await year.selectOption(years[1]);
  assert.notEqual(await page.locator("#field-referent-0-account").inputValue(), "", "the referent is proposed");
  await page.locator("#field-referent-0-share").fill("1/2");
  await page.getByRole("checkbox", { name: "Préparer et animer le comité numérique avec la direction" }).check();
  await page.getByRole("checkbox", { name: "Organiser le plan de formation au numérique de l'établissement" }).check();
  await page.locator("#field-indicator-0-label").fill("Disponibilité du parc");
  await page.locator("#field-indicator-0-source").selectOption("equipment_availability");
  await page.locator("#field-indicator-0-target").fill("95");
  // "Ajouter un indicateur" shows the next row without leaving the page.
  const addIndicator = page.getByRole("button", { name: "Ajouter un indicateur" });
  await addIndicator.click();
  assert.equal(await page.locator("#field-indicator-1-label").isVisible(), true);
  assert.equal(page.url().endsWith("/nouvelle"), true, "still on the form");
  await page.locator("#field-indicator-1-label").fill("Tickets résolus dans les délais");
  await page.locator("#field-indicator-1-source").selectOption("sla_compliance");
  await page.locator("#field-indicator-1-target").fill("90");
  await addIndicator.click();
  await page.locator("#field-indicator-2-label").fill("Enseignants formés à l'ENT");
  await page.locator("#field-indicator-2-target").fill("une vingtaine");
  await go(page, () => page.getByRole("button", { name: "Enregistrer le brouillon" }).click());
  const summary = page.locator(".error-summary");
  assert.match(await summary.innerText(), /Indiquez un nombre/);
  assert.equal(await page.locator("#field-indicator-2-target").getAttribute("aria-invalid"), "true");
  await noViolations(page, "letter form with an error");
  await page.locator("#field-indicator-2-target").fill("20");
  await go(page, () => page.getByRole("button", { name: "Enregistrer le brouillon" }).click());
  letterPath = new URL(page.url()).pathname;
  assert.match(letterPath, /\/pilotage\/lettres\/[0-9a-f-]{36}$/);
  assert.equal(await page.locator("#letter-status").innerText(), "Brouillon");
  assert.equal(await page.locator("#letter-indicators-table tbody tr").count(), 3);
  assert.match(await page.locator("#letter-indicators-table").innerText(), /Valeur actuelle/);
  await noViolations(page, "draft letter");

  // The referent comments and proposes the letter.
  const rp = referent.page;
  await rp.goto(letterPath);
  await rp.getByLabel("Votre commentaire").fill("D'accord pour 95 %, à revoir au bilan.");
  await go(rp, () => rp.getByRole("button", { name: "Ajouter le commentaire" }).click());
  assert.match(await rp.locator("#letter-comments").innerText(), /D'accord pour 95 %/);
  await go(rp, () => rp.getByRole("button", { name: "Proposer à la signature" }).click());
  assert.equal(await rp.locator("#letter-status").innerText(), "Proposée à la signature");
  assert.equal(await rp.getByRole("button", { name: "Signer la lettre" }).count(), 0, "the referent does not sign");

  // The head signs: a wrong password signs nothing.
  await page.goto(letterPath);
  await page.getByLabel("Votre mot de passe").fill("pas-le-bon-mot-de-passe");
  await go(page, () => page.getByRole("button", { name: "Signer la lettre" }).click());
  assert.equal(await page.locator("#field-password").getAttribute("aria-invalid"), "true");
  assert.equal(await page.locator("#letter-status").innerText(), "Proposée à la signature");
  await noViolations(page, "signature refused");
  await page.getByLabel("Votre mot de passe").fill(PASSWORD);
  await go(page, () => page.getByRole("button", { name: "Signer la lettre" }).click());
  assert.equal(await page.locator("#letter-status").innerText(), "Signée");
  assert.match(await page.locator("#letter-hash").innerText(), /[0-9a-f]{64}/);
  await noViolations(page, "signed letter");

  // The referent acknowledges.
  await rp.goto(letterPath);
  await go(rp, () => rp.getByRole("button", { name: "J'ai pris connaissance de la lettre" }).click());
  assert.equal(await rp.getByRole("button", { name: "J'ai pris connaissance de la lettre" }).count(), 0);
  assert.doesNotMatch(await rp.locator("#letter-referents-table").innerText(), /Pas encore/);

  // Editing the signed letter is refused.
  await page.goto(`${letterPath}/modifier`);
  assert.equal(new URL(page.url()).pathname, letterPath);
  assert.match(await page.locator("main").innerText(), /n'est plus en brouillon/);
  assert.equal(await page.getByRole("link", { name: "Modifier le brouillon" }).count(), 0);

  // An amendment shows its differences.
  await go(page, () => page.getByRole("button", { name: "Rédiger un avenant" }).click());
  assert.match(new URL(page.url()).pathname, /\/modifier$/);
  await page.locator("#field-indicator-0-target").fill("97");
  await go(page, () => page.getByRole("button", { name: "Enregistrer le brouillon" }).click());
  const diff = page.locator("#letter-diff");
  assert.match(await diff.innerText(), /Différences avec la version 1/);
  assert.match(await diff.innerText(), /Modifié : Disponibilité du parc .*cible 95 %.* → .*cible 97 %/);
  await noViolations(page, "amendment");

  // The printed letter: no site chrome, A4, a screenshot in print media.
  await page.goto(`${letterPath}/imprimer`);
  await noViolations(page, "printable letter");
  const printed = await page.locator("main").innerText();
  assert.match(printed, /Signée par .* le \d+ \S+ 20\d\d à \d+ h \d\d/, "the signature's date in full");
  assert.doesNotMatch(printed, /<time|&lt;/, "no markup shown as text");
  await page.emulateMedia({ media: "print" });
  assert.equal(await page.locator(".site-header").isVisible(), false, "no header on paper");
  assert.equal(await page.locator(".no-print").first().isVisible(), false, "no button on paper");
  assert.equal(await page.locator("#print-signatures").isVisible(), true);
  const dir = process.env.E2E_ARTIFACTS || path.join(import.meta.dirname, "..", "artifacts");
  await mkdir(dir, { recursive: true });
  await page.setViewportSize({ width: 794, height: 1123 }); // A4 at 96 dpi
  await page.screenshot({ path: path.join(dir, "lettre-de-mission-impression.png"), fullPage: true });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `the letter fits the page's width (overflow ${overflow}px)`);
  const pdf = await page.pdf({ format: "A4", printBackground: false });
  const pages = (pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g) || []).length;
  assert.ok(pages >= 1 && pages <= 2, `the letter prints on one or two A4 pages (${pages})`);
  await page.emulateMedia({ media: "screen" });
});

test("axe finds nothing on the pilotage pages in the three themes", async () => {
  const page = head.page;
  const paths = [
    lettersPath.replace(/\/lettres$/, ""),
    lettersPath,
    `${lettersPath}/nouvelle`,
    letterPath,
    `${letterPath}/imprimer`,
  ];
  // The review of last year's letter (the demo's reviewed one).
  await page.goto(lettersPath);
  const reviewed = await page.locator("#letters tbody tr").last().locator("a").getAttribute("href");
  paths.push(reviewed, `${reviewed}/revue`);
  for (const theme of THEMES) {
    await saveDisplay(page, { theme });
    for (const p of paths) {
      await page.goto(p);
      assert.equal((await htmlDisplay(page)).theme, theme);
      await noViolations(page, `${p} (${theme})`);
    }
  }
  await saveDisplay(page, { theme: "auto" });
});
