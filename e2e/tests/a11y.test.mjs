// axe-core (WCAG 2.0 and 2.1, levels A and AA) on every page, in the light,
// dark and high-contrast themes, plus the largest text settings.
//
// The pages' CSP (script-src 'self') blocks the inline script that injects
// axe-core, so the contexts of this file are created with bypassCSP: true
// (see e2e/README.md). Nothing else in the suite bypasses the CSP.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  DEMO,
  axeViolations,
  formatViolations,
  htmlDisplay,
  launchBrowser,
  newPage,
  saveDisplay,
  signIn,
  startServer,
} from "../harness.mjs";

const THEMES = ["light", "dark", "contrast"];
const UNKNOWN_ID = "00000000-0000-7000-8000-000000000000";

let server;
let browser;
let admin; // { context, page } signed in as the administrator
let teacher; // { context, page } signed in as the two-school teacher
let anonymous; // { context, page } never signed in
let adminPages; // [{ path, status }]

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  admin = await newPage(browser, server.baseURL, { bypassCSP: true });
  teacher = await newPage(browser, server.baseURL, { bypassCSP: true });
  anonymous = await newPage(browser, server.baseURL, { bypassCSP: true });
  await signIn(admin.page, DEMO.admin.email);
  await signIn(teacher.page, DEMO.enseignant.email);

  // Ids of a school and of an account, from the links of the lists.
  const page = admin.page;
  await page.goto("/etablissements");
  const school = await page.locator('main table a[href^="/etablissements/"]').first().getAttribute("href");
  await page.goto("/admin/comptes");
  const account = await page.locator('main table a[href^="/admin/comptes/"]').first().getAttribute("href");
  await page.goto("/admin/organisations");
  const organisation = await page.locator('main table a[href^="/admin/organisations/"]').first().getAttribute("href");
  assert.match(school, /^\/etablissements\/[0-9a-f-]{36}$/);
  assert.match(account, /^\/admin\/comptes\/[0-9a-f-]{36}$/);
  assert.match(organisation, /^\/admin\/organisations\/[0-9a-f-]{36}$/);

  adminPages = [
    "/",
    "/affichage",
    "/accessibilite",
    "/compte",
    "/compte/mot-de-passe",
    "/compte/jetons",
    "/etablissements",
    school,
    `${school}/personnels`,
    `${school}/journal`,
    `${school}/modifier`,
    "/admin",
    "/admin/academies",
    "/admin/collectivites",
    "/admin/etablissements/nouveau",
    "/admin/comptes",
    account,
    "/admin/organisations",
    organisation,
    "/admin/journal",
  ].map((path) => ({ path, status: 200 }));
  adminPages.push({ path: `/etablissements/${UNKNOWN_ID}`, status: 404 });
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/**
 * The page shown now is in `theme` (else checking it proves nothing about
 * that theme) and axe finds no violation on it.
 */
async function assertAccessible(page, where, theme) {
  const shown = (await htmlDisplay(page)).theme;
  const violations = await axeViolations(page);
  assert.equal(violations.length, 0, formatViolations(where, violations));
  if (theme) {
    assert.equal(shown, theme, `${where} is not shown in the ${theme} theme (axe found no violation in the ${shown} theme)`);
  }
}

async function visit(page, path, status) {
  const response = await page.goto(path);
  assert.equal(response.status(), status, `status of ${path}`);
}

/** Submits the form at `selector` as it is and waits for the answer page. */
async function submitForm(page, selector) {
  const form = page.locator(selector);
  const action = new URL(await form.evaluate((f) => f.action)).pathname;
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname === action),
    form.locator('button[type="submit"]').click(),
  ]);
  await page.waitForLoadState("load");
  return response;
}

test("the axe check does report a violation (a planted unlabelled field)", async () => {
  const page = anonymous.page;
  await visit(page, "/connexion", 200);
  assert.deepEqual(await axeViolations(page), []);
  await page.evaluate(() => {
    const input = document.createElement("input");
    input.type = "text";
    input.id = "planted";
    document.querySelector("main").append(input);
  });
  const violations = await axeViolations(page);
  const label = violations.find((v) => v.id === "label");
  assert.ok(label, `axe reports the unlabelled field: ${formatViolations("/connexion", violations)}`);
  assert.deepEqual(label.nodes.map((n) => n.target.join(" ")), ["#planted"]);
  assert.match(formatViolations("/connexion", violations), /label .*\n.*#planted/s);
});

for (const theme of THEMES) {
  describe(`theme ${theme}`, () => {
    before(async () => {
      await saveDisplay(admin.page, { theme, font: "default", spacing: "normal", size: "100" });
      await saveDisplay(teacher.page, { theme, font: "default", spacing: "normal", size: "100" });
      await saveDisplay(anonymous.page, { theme, font: "default", spacing: "normal", size: "100" });
    });

    test("administrator: every page", async (t) => {
      for (const { path, status } of adminPages) {
        await t.test(path, async () => {
          await visit(admin.page, path, status);
          await assertAccessible(admin.page, `${path} (admin, ${theme})`, theme);
        });
      }
    });

    test("administrator: forms showing their errors, a new API token", async (t) => {
      const page = admin.page;
      await t.test("/admin/comptes with errors", async () => {
        await visit(page, "/admin/comptes", 200);
        const response = await submitForm(page, 'main form[action="/admin/comptes"][method="post"]');
        assert.equal(response.status(), 422);
        assert.equal(await page.locator(".error-summary").count(), 1);
        await assertAccessible(page, `/admin/comptes with errors (admin, ${theme})`, theme);
      });
      await t.test("/admin/organisations with errors", async () => {
        await visit(page, "/admin/organisations", 200);
        const response = await submitForm(page, 'main form[action="/admin/organisations"]');
        assert.equal(response.status(), 422);
        assert.equal(await page.locator(".error-summary").count(), 1);
        await assertAccessible(page, `/admin/organisations with errors (admin, ${theme})`, theme);
      });
      await t.test("/admin/organisations with an error on the schools served", async () => {
        await visit(page, "/admin/organisations", 200);
        await page.locator('main input[name="name"]').fill(`Organisation ${theme}`);
        // A choice the server refuses (as if the school had gone meanwhile).
        const box = page.locator('main input[type="checkbox"][name="serves"]').first();
        await box.evaluate((input) => {
          input.value = "plus-la";
        });
        await box.check();
        const response = await submitForm(page, 'main form[action="/admin/organisations"]');
        assert.equal(response.status(), 422);
        const fieldset = page.locator("fieldset#field-serves");
        assert.equal(await fieldset.getAttribute("aria-describedby"), "error-serves");
        assert.ok((await page.locator("#error-serves").innerText()).length > 0);
        assert.equal(await page.locator('.error-summary a[href="#field-serves"]').count(), 1);
        await assertAccessible(page, `/admin/organisations with an error on the schools (admin, ${theme})`, theme);
      });
      await t.test("/compte/jetons with a new token", async () => {
        await visit(page, "/compte/jetons", 200);
        await page.locator('input[name="name"]').fill(`jeton ${theme}`);
        const response = await submitForm(page, 'main form[action="/compte/jetons"]');
        assert.equal(response.status(), 200);
        assert.equal(await page.locator("#new-token").count(), 1);
        await assertAccessible(page, `/compte/jetons with a new token (admin, ${theme})`, theme);
      });
    });

    test("anonymous: the sign-in page, empty and with errors", async (t) => {
      const page = anonymous.page;
      await t.test("/connexion", async () => {
        await visit(page, "/connexion", 200);
        await assertAccessible(page, `/connexion (anonymous, ${theme})`, theme);
      });
      await t.test("/connexion with errors", async () => {
        const response = await submitForm(page, 'main form[action="/connexion"]');
        assert.equal(response.status(), 422);
        await assertAccessible(page, `/connexion with errors (anonymous, ${theme})`, theme);
      });
      await t.test("/connexion with a wrong password", async () => {
        await page.locator('input[name="email"]').fill(DEMO.referent.email);
        await page.locator('input[name="password"]').fill("pas-le-bon-mot-de-passe");
        const response = await submitForm(page, 'main form[action="/connexion"]');
        assert.equal(response.status(), 401);
        await assertAccessible(page, `/connexion with a wrong password (anonymous, ${theme})`, theme);
      });
    });

    test("teacher of two schools: home, school pages, 403 page", async (t) => {
      const page = teacher.page;
      await t.test("/", async () => {
        await visit(page, "/", 200);
        assert.equal(await page.locator("#school-switcher-select").count(), 1);
        await assertAccessible(page, `/ (teacher, ${theme})`, theme);
      });
      await t.test("/etablissements", async () => {
        await visit(page, "/etablissements", 200);
        await assertAccessible(page, `/etablissements (teacher, ${theme})`, theme);
      });
      await t.test("/admin (403)", async () => {
        await visit(page, "/admin", 403);
        await assertAccessible(page, `/admin 403 page (teacher, ${theme})`, theme);
      });
    });
  });
}

describe("largest settings: contrast theme, OpenDyslexic, extra-large spacing, 150 % text", () => {
  const LARGEST = { theme: "contrast", font: "dyslexia", spacing: "xlarge", size: "150" };

  before(async () => {
    await saveDisplay(admin.page, LARGEST);
    await saveDisplay(teacher.page, LARGEST);
  });

  test("home pages pass axe", async (t) => {
    for (const [who, page] of [["admin", admin.page], ["teacher", teacher.page]]) {
      await t.test(`/ (${who})`, async () => {
        await visit(page, "/", 200);
        assert.deepEqual(await htmlDisplay(page), LARGEST);
        await page.evaluate(() => document.fonts.ready);
        await assertAccessible(page, `/ (${who}, largest settings)`, "contrast");
      });
    }
  });

  test("at 320 CSS pixels wide nothing scrolls sideways (reflow)", async (t) => {
    const page = teacher.page;
    await page.setViewportSize({ width: 320, height: 640 });
    try {
      for (const path of ["/", "/affichage", "/etablissements", "/compte", "/compte/jetons"]) {
        await t.test(path, async () => {
          await visit(page, path, 200);
          await page.evaluate(() => document.fonts.ready);
          const { scrollWidth, clientWidth } = await page.evaluate(() => ({
            scrollWidth: document.documentElement.scrollWidth,
            clientWidth: document.documentElement.clientWidth,
          }));
          assert.ok(scrollWidth <= clientWidth, `${path}: page is ${scrollWidth}px wide in a ${clientWidth}px viewport`);
        });
      }
    } finally {
      await page.setViewportSize({ width: 1280, height: 720 });
    }
  });
});
