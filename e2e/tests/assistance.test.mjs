// The helpdesk in the browser, from a QR label to the provider's fix: the
// referent records a projector (its page gives the QR address); someone
// holding the label, on a phone-sized screen and without an account,
// reports the fault and gets its number; the referent escalates the ticket
// to the académie's assistance; its technician, signed in, sees only that
// ticket and resolves it. axe-core passes on every page visited.
//
// The availability rate of the indicators page follows: the projector is
// flagged unusable from the QR form, so while the ticket is open the rate
// falls below what it was, and once the ticket is resolved it stays at
// 1 − (time unusable ÷ (equipment in service × period)), the time unusable
// being bounded by the moments the test sent the report and the resolution.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  DEMO,
  axeViolations,
  formatViolations,
  launchBrowser,
  newPage,
  saveDisplay,
  signIn,
  startServer, openFromMenu } from "../harness.mjs";

const TECH = "technicien@assistance.test";
const ORG = "Assistance académique de Normandie";

let server;
let browser;

async function noViolations(page, where) {
  const violations = await axeViolations(page);
  assert.equal(violations.length, 0, formatViolations(where, violations));
}

/**
 * The availability figure of a school's indicators page (last 30 days):
 * its exact inputs (data attributes of #ind-availability) and the text shown.
 */
async function availability(page, etab) {
  const response = await page.goto(`/etablissements/${etab}/indicateurs/parc`);
  assert.equal(response.status(), 200);
  const card = page.locator("#ind-availability");
  const attr = async (name) => {
    const v = await card.getAttribute(`data-${name}`);
    assert.ok(v !== null && v !== "", `data-${name} of #ind-availability`);
    return Number(v);
  };
  return {
    unusable: await attr("unusable-seconds"),
    deployed: await attr("deployed"),
    period: await attr("period-seconds"),
    percent: await attr("percent"),
    shown: await card.locator(".stat__value").innerText(),
  };
}

/** The rate the page must show for these inputs, per cent. */
function expectedRate(unusable, deployed, period) {
  return 100 * (1 - unusable / (deployed * period));
}

/** A rate as the French page writes it ("99,9 %"). */
function frenchPercent(v) {
  return `${v.toFixed(1).replace(".", ",")} %`;
}

/** The figure is consistent: its rate follows from its inputs, and is shown rounded. */
function assertConsistent(a, where) {
  const rate = expectedRate(a.unusable, a.deployed, a.period);
  assert.ok(Math.abs(a.percent - rate) < 1e-9, `${where}: ${a.percent} is not ${rate}`);
  assert.equal(a.shown, frenchPercent(rate), where);
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

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
  await openFromMenu(page, "Équipements", "Parc");
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

  // The availability before the fault: the projector counts in the fleet.
  const before = await availability(page, etab);
  assertConsistent(before, "availability before the fault");
  assert.ok(before.deployed >= 1, "the projector is in service");
  assert.equal(before.period, 30 * 24 * 3600, "the default period is the last 30 days");
  await noViolations(page, "indicators page");

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
  await p
    .getByLabel("Qu'est-ce qui ne va pas ?")
    .fill("Plus d'image, le voyant clignote en orange.\nLa télécommande ne répond plus.");
  await Promise.all([p.waitForLoadState("load"), p.getByRole("button", { name: "Envoyer le signalement" }).click()]);
  assert.match(await p.locator(".error-summary").innerText(), /Ce champ est obligatoire/);
  assert.equal(await p.getByLabel("Votre nom").getAttribute("aria-invalid"), "true");
  await noViolations(p, "QR fault form with errors");
  await p.getByLabel("Votre nom").fill("Camille Durand");
  await p.getByLabel("L'équipement est inutilisable").check();
  const reportSent = Date.now();
  await Promise.all([p.waitForLoadState("load"), p.getByRole("button", { name: "Envoyer le signalement" }).click()]);
  const reportAnswered = Date.now();
  assert.equal(await p.locator("h1").innerText(), "Merci, votre signalement est enregistré");
  const thanks = await p.locator("main").innerText();
  // A receipt code, not the school's running ticket number.
  const receipt = thanks.match(/code de reçu ([0-9A-Z]{4}-[0-9A-Z]{4})/)?.[1];
  assert.ok(receipt, thanks);
  assert.ok(!/numéro/.test(thanks), thanks);
  assert.ok(!thanks.includes("Lycée Malherbe"));
  await noViolations(p, "QR thank-you page");
  await phone.context.close();

  // The referent finds it in the list by its receipt code and escalates it.
  await page.goto(`/assistance?q=${receipt}`);
  await noViolations(page, "ticket list (referent)");
  const found = page.locator("main table a", { hasText: /^#\d+$/ });
  assert.equal(await found.count(), 1, "one ticket has this receipt code");
  const number = (await found.innerText()).slice(1);
  await found.click();
  await page.waitForLoadState("load");
  assert.match(await page.locator("main").innerText(), new RegExp(`code de reçu ${receipt}`));
  assert.match(await page.locator("h1").innerText(), new RegExp(`Ticket n° ${number} : Plus d'image`));
  assert.match(await page.locator("main").innerText(), /Équipement inutilisable/);
  // The description keeps its line break (shown as text, not as HTML).
  const description = page.locator("p.prewrap").first();
  assert.equal(await description.evaluate((e) => getComputedStyle(e).whiteSpace), "pre-wrap");
  assert.match(await description.innerText(), /orange\.\r?\nLa télécommande/);
  await noViolations(page, "ticket page (referent)");

  // While the projector is unusable, the rate falls below what it was.
  // (The waits below let wall-clock time pass: that time is what is measured.)
  const ticketURL = page.url();
  const elapsed = Date.now() - reportSent;
  if (elapsed < 2000) await sleep(2000 - elapsed);
  const open = await availability(page, etab);
  const openRead = Date.now();
  assertConsistent(open, "availability while the ticket is open");
  assert.equal(open.deployed, before.deployed);
  assert.ok(open.unusable > before.unusable, "the unusable time counts");
  assert.ok(open.percent < before.percent, `the rate falls: ${before.percent} → ${open.percent}`);
  assert.ok(
    open.unusable - before.unusable <= Math.ceil((openRead - reportSent) / 1000) + 1,
    `${open.unusable - before.unusable} s unusable, at most since the report`,
  );
  await page.goto(ticketURL);
  await page.getByLabel("Prestataire", { exact: true }).selectOption({ label: ORG });
  await page.getByLabel("Référence chez le prestataire", { exact: true }).fill("INC-2026-118");
  await Promise.all([page.waitForLoadState("load"), page.getByRole("button", { name: "Transmettre au prestataire" }).click()]);
  assert.match(await page.locator("[role=status]").first().innerText(), /transmis au prestataire/);
  assert.match(await page.locator("main").innerText(), /Transmis au prestataire/);
  await noViolations(page, "ticket page after escalation");
  const ticketPath = new URL(page.url()).pathname;

  // The technician sees only that ticket and resolves it.
  const tech = await newPage(browser, server.baseURL, { bypassCSP: true });
  await signIn(tech.page, TECH);
  page = tech.page;

  // The escalation notified the technician: the header counts the unread
  // notifications listed on their page, in words for screen readers; axe
  // passes on it in each theme.
  await page.goto("/notifications");
  const unread = await page.getByRole("button", { name: /^Ouvrir et marquer comme lu/ }).count();
  assert.ok(unread >= 1, "the escalation is notified");
  const words = unread === 1 ? "1 notification non lue" : `${unread} notifications non lues`;
  assert.equal(await page.locator("#nav-unread").textContent(), ` (${words})`);
  assert.equal(await page.locator("header .nav-badge").innerText(), String(unread));
  const notifLink = page.locator("header").getByRole("link", { name: /^Notifications/ });
  assert.equal(await notifLink.getAttribute("aria-current"), "page");
  for (const theme of ["dark", "contrast", "light"]) {
    await saveDisplay(page, { theme, font: "default", spacing: "normal", size: "100" });
    await page.goto("/notifications");
    await noViolations(page, `notifications page with the header count (${theme} theme)`);
  }
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
  // A comment on two lines keeps its line break.
  await page.getByLabel("Commentaire", { exact: true }).fill("Lampe remplacée.\nÀ surveiller la semaine prochaine.");
  await Promise.all([page.waitForLoadState("load"), page.getByRole("button", { name: "Ajouter le commentaire" }).click()]);
  const comment = page.locator(".comment p.prewrap").last();
  assert.match(await comment.innerText(), /Lampe remplacée\.\r?\nÀ surveiller/);
  const resolveSent = Date.now();
  await Promise.all([page.waitForLoadState("load"), page.getByRole("button", { name: "Marquer comme résolu" }).click()]);
  const resolveAnswered = Date.now();
  assert.match(await page.locator("main").innerText(), /Statut : Résolu/);
  await noViolations(page, "ticket page after resolution");
  await tech.context.close();

  // Once resolved, the unusable time is the time from the report to the
  // resolution (bounded by the test's own clock), and it no longer grows.
  page = referent.page;
  const resolved = await availability(page, etab);
  assertConsistent(resolved, "availability after the resolution");
  assert.equal(resolved.deployed, before.deployed);
  const down = resolved.unusable - before.unusable;
  const shortest = Math.floor((resolveSent - reportAnswered) / 1000) - 1;
  const longest = Math.ceil((resolveAnswered - reportSent) / 1000) + 1;
  assert.ok(down >= shortest && down <= longest, `${down} s unusable, expected ${shortest}–${longest} s`);
  assert.ok(resolved.unusable >= open.unusable);
  assert.ok(resolved.percent < before.percent, "below the rate before the fault");
  assert.ok(
    Math.abs(resolved.percent - expectedRate(before.unusable + down, before.deployed, before.period)) < 1e-9,
  );
  await sleep(1500);
  const later = await availability(page, etab);
  assert.equal(later.unusable, resolved.unusable, "the resolved ticket's unusable time no longer grows");
  assert.equal(later.percent, resolved.percent);
  await referent.context.close();
});
