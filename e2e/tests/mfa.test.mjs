// The second factor (TOTP) of privileged accounts, in the browser: a head of
// school signs in, is sent to the enrolment, "scans" the QR code by reading
// the key shown as text, types a code computed here with node's crypto,
// sees the recovery codes once and reaches the home page; at the next
// sign-in a code is asked, typed with the keyboard only. axe-core checks the
// enrolment and code pages (contexts with bypassCSP, as in a11y.test.mjs).

import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { after, before, describe, test } from "node:test";
import {
  DEMO,
  PASSWORD,
  axeViolations,
  formatViolations,
  htmlDisplay,
  launchBrowser,
  newPage,
  saveDisplay,
  signOut,
  startServer,
} from "../harness.mjs";

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

/** RFC 6238 (HMAC-SHA-1, 6 digits) from the base32 key, written out here. */
function totp(base32, step) {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = "";
  for (const ch of base32.replace(/\s+/g, "").toUpperCase()) {
    bits += alphabet.indexOf(ch).toString(2).padStart(5, "0");
  }
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const h = createHmac("sha1", key).update(counter).digest();
  const o = h[19] & 0x0f;
  const n = h.readUInt32BE(o) & 0x7fffffff;
  return String(n % 1000000).padStart(6, "0");
}

const stepNow = () => Math.floor(Date.now() / 1000 / 30);

async function assertAccessible(page, where) {
  const violations = await axeViolations(page);
  assert.equal(violations.length, 0, formatViolations(where, violations));
}

async function passwordSignIn(page, email) {
  await page.goto("/connexion");
  await page.getByLabel("Adresse électronique").fill(email);
  await page.getByLabel("Mot de passe").fill(PASSWORD);
  await Promise.all([
    page.waitForURL((u) => u.pathname !== "/connexion"),
    page.locator('form[action="/connexion"] button[type="submit"]').click(),
  ]);
  await page.waitForLoadState("load");
}

async function submitCode(page, formSelector) {
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/connexion/second-facteur"),
    page.locator(`${formSelector} button[type="submit"]`).click(),
  ]);
  await page.waitForLoadState("load");
  return response;
}

describe("second factor of a head of school", () => {
  let secret;
  let usedStep;

  test("first sign-in: enrolment, recovery codes, home page", async () => {
    const { context, page } = await newPage(browser, server.baseURL, { bypassCSP: true });
    try {
      await passwordSignIn(page, DEMO.direction.email);
      // Sent to the enrolment, not to the home page.
      assert.equal(new URL(page.url()).pathname, "/connexion/second-facteur");
      assert.equal(await page.locator("h1").innerText(), "Activer la validation en deux étapes");
      // No navigation to pages that are not reachable yet.
      assert.equal(await page.locator("nav#navigation").count(), 0);
      // Every other page sends back here.
      await page.goto("/compte/jetons");
      assert.equal(new URL(page.url()).pathname, "/connexion/second-facteur");
      assert.equal(new URL(page.url()).searchParams.get("suite"), "/compte/jetons");
      await page.goto("/connexion/second-facteur");

      // The QR code is an image with a text alternative; the key is text too.
      const qr = page.getByRole("img", { name: /Code QR à scanner/ });
      assert.equal(await qr.count(), 1);
      assert.ok((await qr.boundingBox()).width >= 150, "the QR code is large enough to scan");
      const key = (await page.locator("#totp-secret").innerText()).trim();
      assert.match(key, /^([A-Z2-7]{4} ){7}[A-Z2-7]{4}$/, "a 160-bit key in groups of four");
      secret = key;
      await assertAccessible(page, "enrolment (light)");

      // The display settings stay reachable before the second factor.
      for (const theme of ["dark", "contrast"]) {
        await saveDisplay(page, { theme });
        await page.goto("/connexion/second-facteur");
        assert.equal((await htmlDisplay(page)).theme, theme);
        await assertAccessible(page, `enrolment (${theme})`);
      }
      await saveDisplay(page, { theme: "light" });
      await page.goto("/connexion/second-facteur");

      // A wrong code: the error is next to the field and summarised.
      await page.getByLabel("Code à six chiffres").fill(totp(secret, stepNow() + 5));
      let response = await submitCode(page, 'form:has(input[name="code"])');
      assert.equal(response.status(), 422);
      assert.equal(await page.locator("#field-code").getAttribute("aria-invalid"), "true");
      assert.equal(await page.locator(".error-summary a").getAttribute("href"), "#field-code");
      await assertAccessible(page, "enrolment with an error");

      // The right code, computed from the key read on the page.
      usedStep = stepNow();
      await page.getByLabel("Code à six chiffres").fill(totp(secret, usedStep));
      response = await submitCode(page, 'form:has(input[name="code"])');
      assert.equal(response.status(), 200);
      assert.equal(await page.locator("h1").innerText(), "Vos codes de secours");
      const codes = await page.locator("#recovery-codes code").allInnerTexts();
      assert.equal(codes.length, 10);
      for (const c of codes) {
        assert.match(c, /^[a-z2-9]{5}-[a-z2-9]{5}$/);
      }
      await assertAccessible(page, "recovery codes");
      await Promise.all([page.waitForURL((u) => u.pathname === "/"), page.locator("#mfa-continue").click()]);
      assert.equal(await page.locator("h1").innerText(), "Accueil");
      await assert.doesNotReject(page.locator("main").getByText(`Bonjour ${DEMO.direction.name}.`).waitFor());
      // The account settings say when the factor was enrolled.
      await page.goto("/compte/second-facteur");
      // In the school's time, inside <time datetime>, in French.
      assert.match(await page.locator("main").innerText(), /Application enregistrée le\s*(lun|mar|mer|jeu|ven|sam|dim)\. \d{1,2} /);
      assert.equal(await page.locator("main time[datetime]").count(), 1);
      assert.match(await page.locator("main").innerText(), /Codes de secours restants\s*10/);
      await signOut(page);
    } finally {
      await context.close();
    }
  });

  test("next sign-in: a code asked and typed with the keyboard only", async () => {
    assert.ok(secret, "the enrolment test ran first");
    const { context, page } = await newPage(browser, server.baseURL, { bypassCSP: true });
    try {
      await passwordSignIn(page, DEMO.direction.email);
      assert.equal(new URL(page.url()).pathname, "/connexion/second-facteur");
      assert.equal(await page.locator("h1").innerText(), "Validation en deux étapes");
      assert.equal(await page.locator("#totp-secret").count(), 0, "the key is never shown again");
      await assertAccessible(page, "code page");

      // The code already used is refused.
      await page.getByLabel("Code à six chiffres").fill(totp(secret, usedStep));
      const response = await submitCode(page, 'form:has(input[name="code"])');
      assert.equal(response.status(), 422);
      await assertAccessible(page, "code page with an error");

      // Keyboard only: Tab to the code field, type, Enter.
      await page.goto("/connexion/second-facteur");
      let reached = false;
      for (let i = 0; i < 40 && !reached; i++) {
        await page.keyboard.press("Tab");
        reached = await page.evaluate(() => document.activeElement?.id === "field-code");
      }
      assert.ok(reached, "the code field is reachable with Tab");
      let step = stepNow();
      if (step <= usedStep) {
        step = usedStep + 1;
      }
      await page.keyboard.type(totp(secret, step));
      await Promise.all([page.waitForURL((u) => u.pathname === "/"), page.keyboard.press("Enter")]);
      assert.equal(await page.locator("h1").innerText(), "Accueil");
    } finally {
      await context.close();
    }
  });
});
