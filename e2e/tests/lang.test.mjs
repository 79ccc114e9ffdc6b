// The language switch of the header: French by default, English on demand,
// kept in a cookie and, once signed in, in the account.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { DEMO, launchBrowser, newPage, signIn, startServer } from "../harness.mjs";

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

/** Clicks the language button of the header and waits for the same page again. */
async function switchLanguage(page, label) {
  const here = new URL(page.url()).pathname;
  const button = page.locator("header form.lang-switcher").getByRole("button", { name: label, exact: true });
  await Promise.all([
    page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/langue"),
    button.click(),
  ]);
  await page.waitForURL((url) => url.pathname === here);
  await page.waitForLoadState("load");
}

const lang = (page) => page.evaluate(() => document.documentElement.lang);
const h1 = (page) => page.locator("h1").innerText();

describe("language switch", () => {
  test("anonymous: English on the sign-in page, kept after a reload, then back to French", async () => {
    const { context, page } = await newPage(browser, server.baseURL);
    try {
      await page.goto("/connexion");
      assert.equal(await lang(page), "fr");
      assert.equal(await h1(page), "Connexion");
      const english = page.locator("header form.lang-switcher button");
      assert.equal(await english.innerText(), "English");
      // The button's own text is marked as English for screen readers.
      assert.equal(await english.getAttribute("lang"), "en");

      await switchLanguage(page, "English");
      assert.equal(new URL(page.url()).pathname, "/connexion");
      assert.equal(await lang(page), "en");
      assert.equal(await h1(page), "Sign in");
      assert.equal(await page.title(), "Sign in — RefNum");
      assert.equal(await page.getByLabel("E-mail address").count(), 1);
      assert.equal(await page.getByRole("button", { name: "Sign in", exact: true }).count(), 1);
      assert.equal(await page.locator(".skip-links a").first().innerText(), "Skip to content");
      const french = page.locator("header form.lang-switcher button");
      assert.equal(await french.innerText(), "Français");
      assert.equal(await french.getAttribute("lang"), "fr");

      await page.reload();
      assert.equal(await lang(page), "en");
      assert.equal(await h1(page), "Sign in");
      await page.goto("/accessibilite");
      assert.equal(await lang(page), "en");
      assert.equal(await h1(page), "Accessibility");

      await switchLanguage(page, "Français");
      assert.equal(new URL(page.url()).pathname, "/accessibilite");
      assert.equal(await lang(page), "fr");
      assert.equal(await h1(page), "Accessibilité");
      await page.reload();
      assert.equal(await lang(page), "fr");
    } finally {
      await context.close();
    }
  });

  test("signed in: English everywhere, kept after a reload and in the account", async () => {
    const first = await newPage(browser, server.baseURL);
    try {
      const page = first.page;
      await signIn(page, DEMO.referent.email);
      assert.equal(await h1(page), "Accueil");

      await switchLanguage(page, "English");
      assert.equal(new URL(page.url()).pathname, "/");
      assert.equal(await lang(page), "en");
      assert.equal(await h1(page), "Home");
      assert.equal(await page.locator("main").getByText(`Hello ${DEMO.referent.name}.`).count(), 1);
      assert.equal(await page.locator('nav#navigation a[href="/"]').innerText(), "Home");
      assert.equal(await page.locator('header a.header-link[href="/affichage"]').innerText(), "Display");
      assert.equal(await page.locator("nav#navigation").getByRole("link", { name: "Equipment and helpdesk" }).count(), 1);
      assert.equal(await page.getByRole("button", { name: "Sign out" }).count(), 1);

      await page.reload();
      assert.equal(await lang(page), "en");
      assert.equal(await h1(page), "Home");
      await page.goto("/affichage");
      assert.equal(await lang(page), "en");
      assert.equal(await h1(page), "Display settings");
      await page.goto("/compte");
      assert.equal(await h1(page), "My account");
    } finally {
      await first.context.close();
    }

    // Another browser, no cookie: French until sign-in, then the account's English.
    const second = await newPage(browser, server.baseURL);
    try {
      const page = second.page;
      await page.goto("/connexion");
      assert.equal(await lang(page), "fr");
      await signIn(page, DEMO.referent.email);
      assert.equal(await lang(page), "en");
      assert.equal(await h1(page), "Home");

      // Back to French, from a page other than home: the same page is shown again.
      await page.goto("/compte");
      await switchLanguage(page, "Français");
      assert.equal(new URL(page.url()).pathname, "/compte");
      assert.equal(await lang(page), "fr");
      assert.equal(await h1(page), "Mon compte");
      await page.reload();
      assert.equal(await h1(page), "Mon compte");
    } finally {
      await second.context.close();
    }
  });

  test("the language button of the 404 page works", async () => {
    const { context, page } = await newPage(browser, server.baseURL);
    try {
      await signIn(page, DEMO.referent.email);
      const missing = await page.goto("/nulle-part");
      assert.equal(missing.status(), 404);
      assert.equal(await h1(page), "Page introuvable");
      const [response] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/langue"),
        page.locator("header form.lang-switcher").getByRole("button", { name: "English", exact: true }).click(),
      ]);
      await page.waitForLoadState("load");
      assert.equal(response.status(), 303, `POST /langue from the 404 page answered ${response.status()}`);
      assert.equal(await lang(page), "en");
    } finally {
      await context.close();
    }
  });

  test("the 403 and 404 pages follow the chosen language", async () => {
    const { context, page } = await newPage(browser, server.baseURL);
    try {
      await signIn(page, DEMO.enseignant.email);
      await switchLanguage(page, "English");
      assert.equal(await lang(page), "en");

      const forbidden = await page.goto("/admin");
      assert.equal(forbidden.status(), 403);
      assert.equal(await lang(page), "en", "403 page: <html lang>");
      assert.equal(await h1(page), "Access denied");

      const missing = await page.goto("/etablissements/00000000-0000-7000-8000-000000000000");
      assert.equal(missing.status(), 404);
      assert.equal(await lang(page), "en", "404 page: <html lang>");
      assert.equal(await h1(page), "Page not found");
    } finally {
      await context.close();
    }
  });
});
