// Display settings (/affichage): saved in a cookie before sign-in, in the
// account after it, rendered by the server on <html>, applied by the CSS.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  DEMO,
  htmlDisplay,
  launchBrowser,
  newPage,
  saveDisplay,
  signIn,
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

const DEFAULTS = { theme: "auto", font: "default", spacing: "normal", size: "100" };
const FIRST = { theme: "contrast", font: "dyslexia", spacing: "xlarge", size: "150" };
const SECOND = { theme: "dark", font: "default", spacing: "large", size: "125" };

/** What the stylesheet made of the settings, read from computed styles. */
function computed(page) {
  return page.evaluate(() => {
    const root = getComputedStyle(document.documentElement);
    const body = getComputedStyle(document.body);
    return {
      rootFontSize: parseFloat(root.fontSize),
      background: body.backgroundColor,
      color: body.color,
      lineHeightRatio: parseFloat(body.lineHeight) / parseFloat(body.fontSize),
      fontFamily: body.fontFamily,
    };
  });
}

/** The radio buttons checked in the form of /affichage. */
function checkedInForm(page) {
  return page.locator("form#display-settings").evaluate((form) => {
    const out = {};
    for (const name of ["theme", "font", "spacing", "size"]) {
      out[name] = form.querySelector(`input[name="${name}"]:checked`)?.value ?? null;
    }
    return out;
  });
}

describe("display settings", () => {
  test("saved before sign-in (cookie), then in the account, and applied everywhere", async () => {
    const first = await newPage(browser, server.baseURL);
    try {
      const page = first.page;

      // A fresh browser: the defaults.
      await page.goto("/affichage");
      assert.deepEqual(await htmlDisplay(page), DEFAULTS);
      assert.deepEqual(await checkedInForm(page), DEFAULTS);
      assert.equal((await computed(page)).rootFontSize, 16);

      // Change every setting, anonymous.
      await saveDisplay(page, FIRST);
      assert.equal(
        (await page.getByRole("status").first().innerText()).trim(),
        "Vos paramètres d'affichage ont été enregistrés.",
      );
      await page.reload();
      assert.deepEqual(await htmlDisplay(page), FIRST);
      assert.deepEqual(await checkedInForm(page), FIRST);
      const cookies = await first.context.cookies();
      assert.ok(cookies.some((c) => c.name === "refnum_affichage"), "a display cookie is set");

      // The stylesheet applies them: black background, 150 % text, wide lines.
      let style = await computed(page);
      assert.equal(style.background, "rgb(0, 0, 0)");
      assert.equal(style.color, "rgb(255, 255, 255)");
      assert.equal(style.rootFontSize, 24);
      assert.ok(Math.abs(style.lineHeightRatio - 2.1) < 0.01, `line height ratio ${style.lineHeightRatio}`);
      assert.match(style.fontFamily, /^"?OpenDyslexic"?,/);

      // The cookie applies on other pages, signed out…
      await page.goto("/connexion");
      assert.deepEqual(await htmlDisplay(page), FIRST);

      // …and after sign-in, on the home page, while the account has no settings of its own.
      await signIn(page, DEMO.referent.email);
      assert.equal(new URL(page.url()).pathname, "/");
      assert.deepEqual(await htmlDisplay(page), FIRST);

      // Signed in: change them again, to other values.
      await saveDisplay(page, SECOND);
      await page.reload();
      assert.deepEqual(await htmlDisplay(page), SECOND);
      assert.deepEqual(await checkedInForm(page), SECOND);
      await page.goto("/");
      assert.deepEqual(await htmlDisplay(page), SECOND);
      style = await computed(page);
      assert.equal(style.background, "rgb(18, 20, 23)");
      assert.equal(style.rootFontSize, 20);
      assert.ok(Math.abs(style.lineHeightRatio - 1.8) < 0.01, `line height ratio ${style.lineHeightRatio}`);
      assert.doesNotMatch(style.fontFamily, /OpenDyslexic/);

      await signOut(page);
    } finally {
      await first.context.close();
    }

    // A browser without any cookie: the defaults until sign-in, then the account's settings.
    const second = await newPage(browser, server.baseURL);
    try {
      const page = second.page;
      await page.goto("/connexion");
      assert.deepEqual(await htmlDisplay(page), DEFAULTS);
      await signIn(page, DEMO.referent.email);
      assert.equal(new URL(page.url()).pathname, "/");
      assert.deepEqual(await htmlDisplay(page), SECOND);
      await page.goto("/affichage");
      assert.deepEqual(await checkedInForm(page), SECOND);
    } finally {
      await second.context.close();
    }
  });

  test("the form previews a choice before it is saved", async () => {
    const { context, page } = await newPage(browser, server.baseURL);
    try {
      await page.goto("/affichage");
      await page.locator('form#display-settings input[name="theme"][value="contrast"]').check();
      assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), "contrast");
      // Not saved: a reload shows the saved value again.
      await page.reload();
      assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), "auto");
    } finally {
      await context.close();
    }
  });

  test("the display settings are kept on the 403 and 404 pages", async () => {
    const { context, page } = await newPage(browser, server.baseURL);
    try {
      await signIn(page, DEMO.enseignant.email);
      const settings = { theme: "contrast", font: "dyslexia", spacing: "large", size: "150" };
      await saveDisplay(page, settings);
      const forbidden = await page.goto("/admin");
      assert.equal(forbidden.status(), 403);
      assert.deepEqual(await htmlDisplay(page), settings, "403 page: the user's display settings");
      const missing = await page.goto("/etablissements/00000000-0000-7000-8000-000000000000");
      assert.equal(missing.status(), 404);
      assert.deepEqual(await htmlDisplay(page), settings, "404 page: the user's display settings");
    } finally {
      await context.close();
    }
  });
});

describe("OpenDyslexic", () => {
  test("the font file is served", async () => {
    const { context } = await newPage(browser, server.baseURL);
    try {
      const response = await context.request.get("/assets/fonts/opendyslexic-400.woff2");
      assert.equal(response.status(), 200);
      assert.equal(response.headers()["content-type"], "font/woff2");
      const body = await response.body();
      assert.ok(body.length > 1000, `font file of ${body.length} bytes`);
      assert.equal(body.subarray(0, 4).toString("latin1"), "wOF2", "a WOFF2 file");
      const bold = await context.request.get("/assets/fonts/opendyslexic-700.woff2");
      assert.equal(bold.status(), 200);
      assert.equal((await context.request.get("/assets/fonts/nothing.woff2")).status(), 404);
    } finally {
      await context.close();
    }
  });

  test("with font=dyslexia the page text is drawn in OpenDyslexic", async () => {
    const { context, page } = await newPage(browser, server.baseURL);
    try {
      await saveDisplay(page, { font: "dyslexia" });
      const fontResponse = page.waitForResponse((r) => new URL(r.url()).pathname === "/assets/fonts/opendyslexic-400.woff2");
      await page.goto("/accessibilite");
      assert.equal((await fontResponse).status(), 200);
      const state = await page.evaluate(async () => {
        await document.fonts.ready;
        const faces = [];
        document.fonts.forEach((f) => faces.push({ family: f.family.replace(/"/g, ""), weight: f.weight, status: f.status }));
        return {
          faces,
          check: document.fonts.check('16px "OpenDyslexic"'),
          family: getComputedStyle(document.querySelector("main p")).fontFamily,
        };
      });
      assert.match(state.family, /^"?OpenDyslexic"?,/);
      assert.ok(
        state.faces.some((f) => f.family === "OpenDyslexic" && f.weight === "400" && f.status === "loaded"),
        `OpenDyslexic 400 is loaded: ${JSON.stringify(state.faces)}`,
      );
      assert.equal(state.check, true);
    } finally {
      await context.close();
    }
  });
});
