// Secrets and personal data never reach the logs. The server runs with its
// most talkative useful level (debug for RefNum and the HTTP layer) and
// everything it writes is kept; then a person signs in (after a wrong
// password), creates an API token and uses it, creates a calendar feed and
// a calendar application reads it, and someone reports a fault from a QR
// label with their name. The logs name the requests, and none of the
// password, e-mail address, session cookie, CSRF token, API token, feed
// token nor the reporter's name and words.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { DEMO, PASSWORD, launchBrowser, newPage, signIn, startServer, openFromMenu } from "../harness.mjs";

let server;
let browser;

before(async () => {
  server = await startServer({
    keepLogs: true,
    env: { REFNUM_LOG: "debug,tower_http=debug,sqlx=warn,sea_orm=warn,hyper=info,hyper_util=info,h2=info,rustls=info" },
  });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test("no secret nor personal data in the server's logs", async () => {
  const { context, page } = await newPage(browser, server.baseURL);
  const secrets = [];

  // A wrong password first, then the right one.
  const wrong = "Mauvais-Mot-De-Passe-4821";
  await page.goto("/connexion");
  await page.locator('input[name="email"]').fill(DEMO.referent.email);
  await page.locator('input[name="password"]').fill(wrong);
  await Promise.all([page.waitForLoadState("load"), page.locator('form[action="/connexion"] button[type="submit"]').click()]);
  assert.equal(new URL(page.url()).pathname, "/connexion");
  secrets.push(["a wrong password", wrong]);
  await signIn(page, DEMO.referent.email);
  secrets.push(["the password", PASSWORD], ["the e-mail address", DEMO.referent.email]);
  for (const c of await context.cookies()) {
    if (c.value.length >= 16) secrets.push([`the cookie ${c.name}`, c.value]);
  }

  // An API token, created on the account page and used.
  await page.goto("/compte/jetons");
  const csrf = await page.locator('input[name="csrf_token"]').first().inputValue();
  secrets.push(["the CSRF token", csrf]);
  await page.locator("#field-name").fill("Tableau de bord");
  await Promise.all([page.waitForLoadState("load"), page.getByRole("button", { name: "Créer un jeton" }).click()]);
  const token = (await page.locator("#new-token").innerText()).trim();
  assert.ok(token.length >= 20, "a token is shown once");
  secrets.push(["the API token", token]);
  const me = await page.request.get("/api/v1/me", { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(me.status(), 200);
  const bad = await page.request.get("/api/v1/me", { headers: { Authorization: `Bearer ${token}x` } });
  assert.equal(bad.status(), 401);

  // A calendar feed, read by a calendar application (no cookie).
  await page.goto("/");
  await openFromMenu(page, "Équipements", "Réservations");
  await page.waitForLoadState("load");
  await page.goto(`${new URL(page.url()).pathname}/mes-reservations`);
  await page.getByRole("button", { name: "Créer l'adresse d'abonnement" }).click();
  await page.waitForLoadState("load");
  const feedUrl = await page.getByLabel("Adresse de l'abonnement (iCalendar)").inputValue();
  const feedToken = feedUrl.match(/\/agenda\/([A-Za-z0-9_-]{43})\//)?.[1];
  assert.ok(feedToken, feedUrl);
  secrets.push(["the feed token", feedToken]);
  const calendar = await fetch(feedUrl);
  assert.equal(calendar.status, 200);
  assert.match(await calendar.text(), /^BEGIN:VCALENDAR/);

  // A fault report from a QR label: a name and words from someone without an account.
  await page.goto("/");
  await openFromMenu(page, "Équipements", "Parc");
  await page.waitForLoadState("load");
  const etab = new URL(page.url()).pathname.split("/")[2];
  await page.goto(`/etablissements/${etab}/parc/nouveau`);
  await page.locator("#field-inventory_number").fill("VP-LOG-1");
  await page.locator("#field-category").selectOption("projector");
  await Promise.all([page.waitForLoadState("load"), page.getByRole("button", { name: "Enregistrer" }).click()]);
  await page.waitForURL((u) => /\/parc\/equipements\//.test(u.pathname));
  const qrHref = await page.getByRole("link", { name: "Ouvrir la page du QR code" }).getAttribute("href");
  const phone = await newPage(browser, server.baseURL);
  await phone.page.goto(qrHref);
  const reporter = "Anaïs Quenneville-Trouvé";
  const words = "Le vidéoprojecteur sent le brûlé depuis ce matin";
  await phone.page.getByLabel("Qu'est-ce qui ne va pas ?").fill(words);
  await phone.page.getByLabel("Votre nom").fill(reporter);
  await Promise.all([phone.page.waitForLoadState("load"), phone.page.getByRole("button", { name: "Envoyer le signalement" }).click()]);
  assert.equal(await phone.page.locator("h1").innerText(), "Merci, votre signalement est enregistré");
  await phone.context.close();
  secrets.push(["the reporter's name", reporter], ["the reporter's words", words]);

  await context.close();
  // Give the server a moment to write its last lines.
  await new Promise((r) => setTimeout(r, 500));
  const logs = server.logs();
  // The logs are there, and they name the requests (with the feed's token redacted).
  assert.match(logs, /\/connexion/, "the requests are logged");
  assert.match(logs, /\/agenda\/\[redacted\]\/reservations\.ics/, "the feed's request is logged, redacted");
  for (const [what, value] of secrets) {
    assert.ok(!logs.includes(value), `${what} appears in the logs`);
  }
});
