// Sign-in, sign-out, access control and keyboard-only use of /connexion.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { DEMO, PASSWORD, launchBrowser, newPage, signIn, signOut, startServer } from "../harness.mjs";

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

async function withPage(fn) {
  const { context, page } = await newPage(browser, server.baseURL);
  try {
    await fn(page);
  } finally {
    await context.close();
  }
}

describe("sign-in and sign-out", () => {
  test("the demo data has the accounts the suite signs in with", () => {
    const emails = server.accounts.map((a) => a.email);
    for (const who of Object.values(DEMO)) {
      assert.ok(emails.includes(who.email), `${who.email} is not in the demo accounts`);
    }
    const referent = server.accounts.find((a) => a.email === DEMO.referent.email);
    assert.equal(referent.role, "referent");
  });

  test("a referent signs in through the form and lands on the home page with their name", () => {
    return withPage(async (page) => {
      const response = await page.goto("/");
      // Anonymous: the home page sends to the sign-in form.
      assert.equal(new URL(page.url()).pathname, "/connexion");
      assert.equal(response.status(), 200);
      assert.ok((await page.locator('input[name="csrf_token"]').first().inputValue()).length > 10, "the form carries a CSRF token");
      assert.equal(await page.locator("h1").innerText(), "Connexion");

      await page.getByLabel("Adresse électronique").fill(DEMO.referent.email);
      await page.getByLabel("Mot de passe").fill(PASSWORD);
      await Promise.all([
        page.waitForURL((url) => url.pathname === "/"),
        page.getByRole("button", { name: "Se connecter" }).click(),
      ]);

      assert.equal(await page.locator("h1").innerText(), "Accueil");
      await assert.doesNotReject(page.locator("main").getByText(`Bonjour ${DEMO.referent.name}.`).waitFor());
      // The header names the signed-in user and links to their account.
      assert.equal(await page.locator('header a.header-link[href="/compte"]').innerText(), DEMO.referent.name);
      assert.equal(await page.getByRole("button", { name: "Se déconnecter" }).count(), 1);
      // The main navigation marks the current page.
      assert.equal(await page.locator('nav#navigation a[aria-current="page"]').getAttribute("href"), "/");
    });
  });

  test("a page asked for before signing in is shown after it", () => {
    return withPage(async (page) => {
      await page.goto("/compte");
      const url = new URL(page.url());
      assert.equal(url.pathname, "/connexion");
      assert.equal(url.searchParams.get("suite"), "/compte");
      await page.locator('input[name="email"]').fill(DEMO.referent.email);
      await page.locator('input[name="password"]').fill(PASSWORD);
      await Promise.all([
        page.waitForURL((u) => u.pathname === "/compte"),
        page.locator('form[action="/connexion"] button[type="submit"]').click(),
      ]);
      assert.equal(await page.locator("h1").innerText(), "Mon compte");
      await assert.doesNotReject(page.locator("main").getByText(DEMO.referent.email).first().waitFor());
    });
  });

  test("a wrong password shows the error and stays on /connexion", () => {
    return withPage(async (page) => {
      await page.goto("/connexion");
      await page.locator('input[name="email"]').fill(DEMO.referent.email);
      await page.locator('input[name="password"]').fill("pas-le-bon-mot-de-passe");
      const [response] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/connexion"),
        page.locator('form[action="/connexion"] button[type="submit"]').click(),
      ]);
      await page.waitForLoadState("domcontentloaded");
      assert.equal(response.status(), 401);
      assert.equal(new URL(page.url()).pathname, "/connexion");
      const alert = page.getByRole("alert");
      assert.equal((await alert.innerText()).trim(), "Adresse électronique ou mot de passe incorrect.");
      // The e-mail address is kept, the password is not.
      assert.equal(await page.locator('input[name="email"]').inputValue(), DEMO.referent.email);
      assert.equal(await page.locator('input[name="password"]').inputValue(), "");
      // Still anonymous.
      await page.goto("/");
      assert.equal(new URL(page.url()).pathname, "/connexion");
    });
  });

  test("empty fields are reported in an error summary that receives focus", () => {
    return withPage(async (page) => {
      await page.goto("/connexion");
      await Promise.all([
        page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/connexion"),
        page.locator('form[action="/connexion"] button[type="submit"]').click(),
      ]);
      await page.waitForLoadState("load");
      const summary = page.locator(".error-summary");
      assert.equal(await summary.count(), 1);
      await page.waitForFunction(() => document.activeElement?.classList.contains("error-summary"));
      // Each message links to its field, and each field points to its message.
      const links = await summary.locator("a").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
      assert.deepEqual(links, ["#field-email", "#field-password"]);
      for (const name of ["email", "password"]) {
        const input = page.locator(`#field-${name}`);
        assert.equal(await input.getAttribute("aria-invalid"), "true");
        const described = await input.getAttribute("aria-describedby");
        assert.ok(described.split(" ").includes(`error-${name}`));
        assert.ok((await page.locator(`#error-${name}`).innerText()).length > 0);
      }
    });
  });

  test("sign-out ends the session", () => {
    return withPage(async (page) => {
      await signIn(page, DEMO.referent.email);
      assert.equal(new URL(page.url()).pathname, "/");
      await signOut(page);
      assert.equal(new URL(page.url()).pathname, "/connexion");
      assert.equal((await page.getByRole("status").first().innerText()).trim(), "Vous êtes déconnecté.");
      assert.equal(await page.getByRole("button", { name: "Se déconnecter" }).count(), 0);
      // The home page and the account page now ask for a sign-in again.
      await page.goto("/");
      assert.equal(new URL(page.url()).pathname, "/connexion");
      await page.goto("/compte");
      assert.equal(new URL(page.url()).pathname, "/connexion");
    });
  });
});

describe("access control", () => {
  test("a teacher asking for /admin gets the 403 page", () => {
    return withPage(async (page) => {
      await signIn(page, DEMO.enseignant.email);
      // Nothing in the teacher's navigation leads to the administration.
      assert.equal(await page.locator('nav#navigation a[href="/admin"]').count(), 0);
      const response = await page.goto("/admin");
      assert.equal(response.status(), 403);
      assert.equal(await page.locator("h1").innerText(), "Accès refusé");
    });
  });

  test("an unknown school id gets the 404 page", () => {
    return withPage(async (page) => {
      await signIn(page, DEMO.admin.email);
      const response = await page.goto("/etablissements/00000000-0000-7000-8000-000000000000");
      assert.equal(response.status(), 404);
      assert.equal(await page.locator("h1").innerText(), "Page introuvable");
    });
  });
});

describe("error pages of a signed-in user", () => {
  test("the 403 and 404 pages keep the signed-in header: name, sign-out, navigation", () => {
    return withPage(async (page) => {
      await signIn(page, DEMO.enseignant.email);
      for (const [path, status] of [["/admin", 403], ["/nulle-part", 404]]) {
        const response = await page.goto(path);
        assert.equal(response.status(), status);
        const header = page.locator("header");
        assert.equal(
          await header.locator('a.header-link[href="/compte"]').count(),
          1,
          `${path}: the header names the signed-in user; it shows: ${JSON.stringify(await header.innerText())}`,
        );
        assert.equal(await header.getByRole("button", { name: "Se déconnecter" }).count(), 1, `${path}: sign-out button`);
        assert.equal(await header.locator('a[href="/connexion"]').count(), 0, `${path}: no sign-in link`);
        assert.equal(await page.locator("nav#navigation").count(), 1, `${path}: main navigation`);
      }
    });
  });
});

describe("school switcher", () => {
  test("a teacher of two schools switches school with the header form, not on a mere change of option", () => {
    return withPage(async (page) => {
      await signIn(page, DEMO.enseignant.email);
      const select = page.getByLabel("Établissement", { exact: true });
      assert.equal(await select.count(), 1);
      const options = await select.locator("option").evaluateAll((os) =>
        os.map((o) => ({ value: o.value, label: o.textContent.trim(), selected: o.selected })),
      );
      assert.equal(options.length, 2, JSON.stringify(options));
      const current = options.find((o) => o.selected);
      const other = options.find((o) => !o.selected);
      assert.ok(current && other);
      const heading = page.locator("h2#school-title");
      assert.ok(current.label.startsWith(await heading.innerText()), `${current.label} / ${await heading.innerText()}`);

      // Choosing another option (as the arrow keys do) changes nothing yet.
      const posts = [];
      page.on("request", (r) => {
        if (r.method() === "POST") {
          posts.push(new URL(r.url()).pathname);
        }
      });
      await select.focus();
      await page.keyboard.press(options[0].selected ? "ArrowDown" : "ArrowUp");
      assert.equal(await select.inputValue(), other.value);
      await page.waitForTimeout(300);
      assert.deepEqual(posts, [], "no form was sent on a change of option");
      assert.ok(current.label.startsWith(await heading.innerText()));

      // The visible button sends it.
      const button = page.locator("form.school-switcher").getByRole("button", { name: "Changer" });
      assert.ok(await button.isVisible(), "the switcher's button is visible");
      await Promise.all([
        page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/etablissement-courant"),
        button.click(),
      ]);
      await page.waitForURL((url) => url.pathname === "/");
      await page.waitForLoadState("load");
      assert.ok(other.label.startsWith(await heading.innerText()), `${other.label} / ${await heading.innerText()}`);
      assert.equal(await page.getByLabel("Établissement", { exact: true }).inputValue(), other.value);
      assert.equal(
        await page.locator('nav#navigation a[href$="/personnels"]').getAttribute("href"),
        `/etablissements/${other.value}/personnels`,
      );
    });
  });
});

describe("keyboard only", () => {
  test("the skip link, then the sign-in form, with the keyboard alone", () => {
    return withPage(async (page) => {
      await page.goto("/connexion");
      const focused = () =>
        page.evaluate(() => {
          const el = document.activeElement;
          return {
            tag: el?.tagName.toLowerCase(),
            id: el?.id || null,
            name: el?.getAttribute("name"),
            text: el?.textContent.trim(),
            href: el?.getAttribute("href"),
          };
        });

      // First Tab: the skip link, visible once focused.
      await page.keyboard.press("Tab");
      let el = await focused();
      assert.equal(el.tag, "a");
      assert.equal(el.text, "Aller au contenu");
      assert.equal(el.href, "#contenu");
      const box = await page.locator(".skip-links a:focus").boundingBox();
      assert.ok(box && box.width > 1 && box.height > 1, "the focused skip link is visible");

      // Enter follows it: focus is on <main id="contenu">, scrolled into view.
      await page.keyboard.press("Enter");
      await page.waitForFunction(() => document.activeElement?.id === "contenu");
      assert.equal(new URL(page.url()).hash, "#contenu");
      const mainTop = await page.evaluate(() => document.getElementById("contenu").getBoundingClientRect().top);
      assert.ok(mainTop >= -1 && mainTop < (await page.evaluate(() => window.innerHeight)), "main is in view");

      // The next Tab goes into the content: the e-mail field.
      await page.keyboard.press("Tab");
      el = await focused();
      assert.equal(el.name, "email");
      await page.keyboard.type(DEMO.referent.email);

      await page.keyboard.press("Tab");
      el = await focused();
      assert.equal(el.name, "password");
      await page.keyboard.type(PASSWORD);

      // Enter in the password field submits the form.
      await Promise.all([page.waitForURL((url) => url.pathname === "/"), page.keyboard.press("Enter")]);
      assert.equal(await page.locator("h1").innerText(), "Accueil");
      await assert.doesNotReject(page.locator("main").getByText(`Bonjour ${DEMO.referent.name}.`).waitFor());
    });
  });

  test("every skip link leads to an element of the page", () => {
    return withPage(async (page) => {
      const targets = () =>
        page.locator(".skip-links a").evaluateAll((as) =>
          as.map((a) => ({ href: a.getAttribute("href"), found: !!document.querySelector(a.getAttribute("href")) })),
        );
      await page.goto("/connexion");
      let links = await targets();
      assert.deepEqual(links, [{ href: "#contenu", found: true }], "anonymous: no menu, no link to it");
      await signIn(page, DEMO.referent.email);
      links = await targets();
      assert.deepEqual(links, [
        { href: "#contenu", found: true },
        { href: "#navigation", found: true },
      ]);
    });
  });

  test("the focused element always shows a visible focus indicator", () => {
    return withPage(async (page) => {
      await page.goto("/connexion");
      // Tab through the whole page: every stop has an outline (or is <main>).
      const seen = [];
      for (let i = 0; i < 15; i += 1) {
        await page.keyboard.press("Tab");
        const info = await page.evaluate(() => {
          const el = document.activeElement;
          if (!el || el === document.body) {
            return null;
          }
          const style = getComputedStyle(el);
          return {
            what: `${el.tagName.toLowerCase()}${el.getAttribute("name") ? `[name=${el.getAttribute("name")}]` : ""} ${el.textContent.trim().slice(0, 30)}`,
            outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2,
          };
        });
        if (!info) {
          break;
        }
        seen.push(info);
      }
      assert.ok(seen.length >= 5, `at least five focus stops on /connexion, got ${seen.length}`);
      const without = seen.filter((s) => !s.outline).map((s) => s.what);
      assert.deepEqual(without, [], "focus stops without a visible outline");
    });
  });
});

describe("return path after sign-in", () => {
  test("a hostile link to the sign-in page lands on the home page, not on another site", () => {
    return withPage(async (page) => {
      // A tab that a browser drops would turn "/<tab>/evil.example" into
      // "//evil.example", another site.
      const hostile = ["/%09/evil.example", "/%0A/evil.example", "/%5Cevil.example", "//evil.example"];
      for (const suite of hostile) {
        await page.goto(`/connexion?suite=${suite}`);
        assert.equal(await page.locator('input[name="suite"]').inputValue(), "/", `the form keeps no hostile path (${suite})`);
        await page.getByLabel("Adresse électronique").fill(DEMO.referent.email);
        await page.getByLabel("Mot de passe").fill(PASSWORD);
        await Promise.all([
          page.waitForURL((url) => url.pathname === "/"),
          page.getByRole("button", { name: "Se connecter" }).click(),
        ]);
        const url = new URL(page.url());
        assert.equal(url.origin, server.baseURL.replace(/\/$/, ""), `still on RefNum after ${suite}`);
        assert.equal(url.pathname, "/");
        assert.equal(await page.locator("h1").innerText(), "Accueil");
        await signOut(page);
      }
    });
  });
});
