// Single sign-on for real: a CAS server (django-cas-server) and an OpenID
// Connect provider (oidc-provider), both on loopback, and RefNum configured
// with both. Signs in through each provider's own form in Chromium, lands on
// RefNum's home signed in; a replayed CAS ticket and an OIDC callback with a
// wrong state are refused; the sign-in page with the provider buttons passes axe.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { CAS_USER, startCasServer } from "../idp/cas.mjs";
import { OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, startOidcProvider } from "../idp/oidc.mjs";
import { DEMO, axeViolations, formatViolations, launchBrowser, newPage, startServer } from "../harness.mjs";

let server;
let browser;
let cas;
let oidc;

const CAS_LABEL = "ENT (CAS de test)";
const OIDC_LABEL = "Académie (OpenID Connect de test)";

before(async () => {
  oidc = await startOidcProvider();
  cas = await startCasServer();
  server = await startServer({
    configToml: [
      "[[sso]]",
      'id = "ent"',
      'kind = "cas"',
      `label = "${CAS_LABEL}"`,
      `cas_url = "${cas.url}"`,
      "cas_version = 3",
      'link_by = "email"',
      'link_attribute = "mail"',
      "",
      "[[sso]]",
      'id = "aca"',
      'kind = "oidc"',
      `label = "${OIDC_LABEL}"`,
      `issuer = "${oidc.issuer}"`,
      `client_id = "${OIDC_CLIENT_ID}"`,
      "",
    ].join("\n"),
    // The client secret comes from the environment, never from the file.
    env: { REFNUM_SSO_ACA_CLIENT_SECRET: OIDC_CLIENT_SECRET },
  });
  oidc.configure(`${server.baseURL}/connexion/sso/aca/retour`);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  await cas?.stop();
  await oidc?.stop();
});

/** A page whose requests may only go to loopback servers (the providers' pages load web fonts). */
async function withPage(fn, options = {}) {
  const { context, page } = await newPage(browser, server.baseURL, options);
  await context.route(
    (url) => url.protocol.startsWith("http") && url.hostname !== "127.0.0.1",
    (route) => route.abort(),
  );
  try {
    await fn(page, context);
  } finally {
    await context.close();
  }
}

async function assertSignedInHome(page, who) {
  try {
    await page.waitForURL((url) => url.origin === server.baseURL && url.pathname === "/");
  } catch (e) {
    const said = await page.locator("main").innerText().catch(() => "");
    throw new Error(`not on RefNum's home page but on ${page.url()}: ${said.slice(0, 400)}`, { cause: e });
  }
  assert.equal(await page.locator("h1").innerText(), "Accueil");
  await page.locator("main").getByText(`Bonjour ${who.name}.`).waitFor();
}

describe("single sign-on", () => {
  test("the sign-in page offers both providers and passes axe", () =>
    withPage(
      async (page) => {
        await page.goto("/connexion");
        const cas = page.getByRole("link", { name: `Se connecter avec ${CAS_LABEL}` });
        const aca = page.getByRole("link", { name: `Se connecter avec ${OIDC_LABEL}` });
        assert.equal(await cas.getAttribute("href"), "/connexion/sso/ent");
        assert.equal(await aca.getAttribute("href"), "/connexion/sso/aca");
        const violations = await axeViolations(page);
        assert.equal(violations.length, 0, formatViolations("/connexion with SSO buttons", violations));
      },
      // axe-core is injected as an inline script: this context only bypasses the CSP.
      { bypassCSP: true },
    ));

  test("signing in through the CAS server lands on the home page; the ticket cannot be replayed", () =>
    withPage(async (page) => {
      await page.goto("/connexion");
      await page.getByRole("link", { name: `Se connecter avec ${CAS_LABEL}` }).click();
      await page.waitForURL((url) => url.href.startsWith(`${cas.url}/login`));
      await page.locator('input[name="username"]').fill(CAS_USER.username);
      await page.locator('input[name="password"]').fill(CAS_USER.password);
      const [callback] = await Promise.all([
        page.waitForRequest((r) => new URL(r.url()).pathname === "/connexion/sso/ent/retour"),
        page.locator("#login_form button[type=submit]").click(),
      ]);
      await assertSignedInHome(page, DEMO.enseignant);
      const withTicket = callback.url();
      assert.match(withTicket, /[?&]ticket=ST-/);

      // The same callback URL again, in a fresh browser: refused.
      await withPage(async (other) => {
        const response = await other.goto(withTicket);
        assert.equal(response.status(), 400);
        assert.equal(await other.locator("h1").innerText(), "Connexion refusée : ticket déjà utilisé");
        await other.goto("/");
        assert.equal(new URL(other.url()).pathname, "/connexion", "not signed in");
      });
    }));

  test("signing in through the OpenID Connect provider lands on the home page", () =>
    withPage(async (page) => {
      await page.goto("/connexion");
      await page.getByRole("link", { name: `Se connecter avec ${OIDC_LABEL}` }).click();
      await page.waitForURL((url) => url.origin === oidc.issuer);
      await page.locator('input[name="login"]').fill("julien");
      await page.locator('input[name="password"]').fill("any password works here");
      await page.getByRole("button", { name: "Sign-in" }).click();
      await page.locator('input[name="login"]').waitFor({ state: "detached" });
      await page.waitForLoadState("load");
      // The provider asks for consent once.
      if (new URL(page.url()).origin === oidc.issuer) {
        await page.getByRole("button", { name: "Continue" }).click();
      }
      await assertSignedInHome(page, DEMO.referent);
      // The identity is listed on the account page.
      await page.goto("/compte/identites");
      await page.getByRole("cell", { name: OIDC_LABEL, exact: true }).waitFor();
    }));

  test("an OpenID Connect callback with a wrong state is refused", () =>
    withPage(async (page) => {
      await page.goto("/connexion");
      const response = await page.goto("/connexion/sso/aca/retour?code=forged-code&state=forged-state");
      assert.equal(response.status(), 400);
      assert.equal(await page.locator("h1").innerText(), "Connexion refusée : demande inconnue ou expirée");
      await page.goto("/");
      assert.equal(new URL(page.url()).pathname, "/connexion", "not signed in");
    }));
});
