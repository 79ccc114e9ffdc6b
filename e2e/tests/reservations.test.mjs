// Bookings in the browser: a teacher books a laptop cart of the demo school
// every Tuesday, M2, for the second term; the preview shows the winter
// holiday weeks (zone B) skipped, and the week view shows the holiday, not
// a booking; the referent's booking of the same slot is refused, naming the
// teacher; the grid is used with the keyboard; axe-core passes on every
// booking page.
//
// Both contexts are created with bypassCSP: true so that axe-core can be
// injected (the pages run no script of their own).

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

// `refnum demo` makes the carts of the Lycée Malherbe (UAI 0140013N) bookable.
const CART = "D0140-CHAR-01 — Lenovo Chariot 16 places";

let server;
let browser;
let teacher;
let referent;
let home; // /etablissements/{id}/reservations

async function noViolations(page, where) {
  const violations = await axeViolations(page);
  assert.equal(violations.length, 0, formatViolations(where, violations));
}

async function go(page, path) {
  await page.goto(path);
  await page.waitForLoadState("load");
}

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  teacher = await newPage(browser, server.baseURL, { bypassCSP: true });
  referent = await newPage(browser, server.baseURL, { bypassCSP: true });
  await signIn(teacher.page, DEMO.enseignant.email);
  await signIn(referent.page, DEMO.referent.email);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test("a teacher books a cart every Tuesday M2 for a term, holidays skipped", async () => {
  const page = teacher.page;
  await go(page, "/");
  await openFromMenu(page, "Équipements", "Réservations");
  await page.waitForLoadState("load");
  home = new URL(page.url()).pathname;
  assert.match(home, /^\/etablissements\/[0-9a-f-]{36}\/reservations$/);
  await noViolations(page, "booking home");

  await page.getByRole("link", { name: CART, exact: true }).click();
  await page.waitForLoadState("load");
  assert.equal(await page.locator("h1").innerText(), CART);
  await noViolations(page, "week of the cart");

  // The grid with the keyboard: a free cell's link opens the form for that day and slot.
  await go(page, `${new URL(page.url()).pathname}?semaine=2027-01-04`);
  const link = page.locator("#resa-week a").first();
  await link.focus();
  await Promise.all([page.waitForURL(/\/reserver\?/), page.keyboard.press("Enter")]);
  await page.waitForLoadState("load");
  assert.match(page.url(), /reserver\?jour=2027-01-04&creneau=/);
  await noViolations(page, "booking form");

  // Nothing chosen: errors next to the fields and summarised.
  await page.getByLabel("Date", { exact: true }).fill("");
  await page.getByRole("button", { name: "Réserver", exact: true }).click();
  await page.waitForLoadState("load");
  assert.match(await page.locator(".error-summary").innerText(), /Date invalide/);
  await noViolations(page, "booking form with errors");

  await page.getByLabel("Date", { exact: true }).fill("2027-01-05");
  await page.getByLabel("Premier créneau").selectOption({ label: "M2 (08:55–09:50)" });
  await page.getByLabel("Répéter chaque semaine (semaines de cours seulement)").check();
  await page.getByLabel("Jusqu'au").fill("2027-03-30");
  await page.getByRole("button", { name: "Réserver", exact: true }).click();
  await page.waitForLoadState("load");

  // The preview: 13 Tuesdays, the two of the winter holidays skipped.
  assert.match(await page.locator("h1").innerText(), /^Vérifier la répétition/);
  const skipped = page.locator("#resa-preview tr.resa-occ--skipped");
  assert.equal(await skipped.count(), 2);
  assert.match(await skipped.nth(0).innerText(), /mardi 23\/02\/2027\s+Pas de cours : Vacances d'hiver/);
  assert.match(await skipped.nth(1).innerText(), /mardi 02\/03\/2027/);
  assert.equal(await page.locator("#resa-preview tr.resa-occ--free").count(), 11);
  await noViolations(page, "preview of the recurring booking");
  await page.getByRole("button", { name: "Réserver les 11 date(s) libre(s)" }).click();
  await page.waitForLoadState("load");
  assert.match(await page.locator(".notice--success").innerText(), /La réservation est enregistrée/);

  // The winter week shows the holiday and no booking; a school week shows it.
  const week = new URL(page.url()).pathname;
  await go(page, `${week}?semaine=2027-02-22`);
  assert.equal(await page.locator("#resa-week .resa-cell--held").count(), 0);
  assert.match(await page.locator("#resa-week tbody tr").nth(1).innerText(), /Vacances d'hiver/);
  await go(page, `${week}?semaine=2027-03-08`);
  const held = page.locator("#resa-week .resa-cell--held");
  assert.equal(await held.count(), 1);
  assert.match(await held.innerText(), /Élodie Caron/);

  await go(page, `${home}/mes-reservations`);
  assert.equal(await page.getByRole("button", { name: /^Annuler la série/ }).count(), 11);
  await noViolations(page, "my bookings");
});

test("the referent's booking of the same slot is refused with a clear message", async () => {
  const page = referent.page;
  await go(page, home);
  await page.getByRole("link", { name: CART, exact: true }).click();
  await page.waitForLoadState("load");
  await page.getByRole("link", { name: "Réserver", exact: true }).click();
  await page.waitForLoadState("load");
  await page.getByLabel("Date", { exact: true }).fill("2027-03-09");
  await page.getByLabel("Premier créneau").selectOption({ label: "M2 (08:55–09:50)" });
  await page.getByRole("button", { name: "Réserver", exact: true }).click();
  await page.waitForLoadState("load");
  assert.equal(
    (await page.locator(".error-summary li").first().innerText()).trim(),
    "Le créneau M2 du 09/03/2027 est déjà réservé par Élodie Caron.",
  );
  await noViolations(page, "booking refused");
});

test("axe passes on the timetable, the rules, the school's day", async () => {
  const page = referent.page;
  await go(page, `${home}/horaires`);
  assert.equal(await page.locator("#resa-zone").innerText(), "Zone B");
  await noViolations(page, "timetable");
  await go(page, home);
  await page.getByRole("link", { name: `Modifier les règles — ${CART}` }).click();
  await page.waitForLoadState("load");
  await noViolations(page, "rules");
  await go(page, `${home}/jour?date=2027-03-09`);
  assert.equal(await page.locator("#resa-day .resa-cell--held").count(), 1);
  await noViolations(page, "school's day");
});

test("axe passes on the occupancy rates and a new calendar feed, which answers iCalendar", async () => {
  const page = referent.page;
  await go(page, home);
  await page.getByRole("link", { name: "Taux d'occupation" }).click();
  await page.waitForLoadState("load");
  assert.equal(await page.locator("svg.chart[role=img]").count(), 2);
  await noViolations(page, "occupancy");
  await go(page, `${home}/mes-reservations`);
  await page.getByRole("button", { name: "Créer l'adresse d'abonnement" }).click();
  await page.waitForLoadState("load");
  const url = await page.getByLabel("Adresse de l'abonnement (iCalendar)").inputValue();
  assert.match(url, /\/agenda\/[A-Za-z0-9_-]{43}\/reservations\.ics$/);
  await noViolations(page, "feed created");
  const feed = await page.request.get(url);
  assert.equal(feed.status(), 200);
  assert.equal(feed.headers()["content-type"], "text/calendar; charset=utf-8");
  assert.match(await feed.text(), /^BEGIN:VCALENDAR\r\n/);
  await go(page, `${home}/mes-reservations`);
  await page.getByRole("button", { name: "Révoquer l'adresse" }).click();
  await page.waitForLoadState("load");
  assert.equal((await page.request.get(url)).status(), 404);
});
