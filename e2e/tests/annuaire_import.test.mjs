// A directory import in the browser, as a referent does it: the upload form
// (with its progress bar, sent by script), a refused file and its message,
// the preview, apply. axe-core runs on the form and the preview (bypassCSP
// context so that axe-core can be injected).

import assert from "node:assert/strict";
import { readFile, writeFile, mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, test } from "node:test";
import { DEMO, axeViolations, formatViolations, launchBrowser, newPage, signIn, startServer } from "../harness.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const FIXTURES = path.resolve(here, "../../../shared/fixtures");
const ONDE = ["eleves", "enseignants", "responsables"].map((k) => path.join(FIXTURES, `be1d/CSVExtraction-${k}.csv`));

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

async function noViolations(page, where) {
  const violations = await axeViolations(page);
  assert.equal(violations.length, 0, formatViolations(where, violations));
}

/** The import form of the referent's current school, found from the navigation. */
async function importForm(page) {
  await page.goto("/");
  const href = await page.locator('nav a[href$="/annuaire"]').first().getAttribute("href");
  assert.ok(href, "the navigation links to the directory");
  return `${href}/import`;
}

test("a referent uploads the ONDE files, reads the preview and applies it", async () => {
  const { context, page } = await newPage(browser, server.baseURL, { bypassCSP: true });
  try {
    await signIn(page, DEMO.referent.email);
    const form = await importForm(page);
    await page.goto(form);
    assert.equal(await page.locator("h1").innerText(), "Importer des fichiers d'annuaire");
    await noViolations(page, "the import form");

    // A file cut in the middle: refused, the form says where, nothing imported.
    const sts = await readFile(path.join(FIXTURES, "sts/sts_emp_0770935Y_2017.xml"));
    const dir = await mkdtemp(path.join(tmpdir(), "refnum-e2e-import-"));
    const cut = path.join(dir, "sts_emp_0140013N_2017.xml");
    await writeFile(cut, sts.subarray(0, Math.floor(sts.length / 2)));
    await page.setInputFiles("#field-files", cut);
    const [refused] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === "POST"),
      page.getByRole("button", { name: "Envoyer et prévisualiser" }).click(),
    ]);
    assert.equal(refused.status(), 422);
    assert.equal(refused.request().resourceType(), "xhr", "the upload is sent by script, with its progress bar");
    await page.locator(".field-error").first().waitFor();
    const message = await page.locator(".field-error").first().innerText();
    assert.match(message, /ligne \d+/, message);

    // The real files: the progress bar shows, then the preview.
    await page.goto(form);
    await page.setInputFiles("#field-files", ONDE);
    await Promise.all([
      page.waitForURL((url) => url.pathname.startsWith("/annuaire/imports/")),
      page.getByRole("button", { name: "Envoyer et prévisualiser" }).click(),
    ]);
    assert.equal(await page.locator("h1").innerText(), "Aperçu de l'import");
    const diff = page.locator("table", { has: page.locator("caption", { hasText: "Ce que l'import changera" }) });
    const pupils = diff.locator("tr", { has: page.locator("th", { hasText: "Élèves" }) });
    assert.equal(await pupils.locator("td").first().innerText(), "247");
    await noViolations(page, "the import preview");

    await Promise.all([
      page.waitForURL((url) => url.searchParams.get("fait") === "applied"),
      page.getByRole("button", { name: "Appliquer l'import" }).click(),
    ]);
    await page.getByText("Import appliqué le").waitFor();
    assert.equal(await page.getByRole("button", { name: "Appliquer l'import" }).count(), 0);
  } finally {
    await context.close();
  }
});

test("without script the upload form still posts and previews", async () => {
  const { context, page } = await newPage(browser, server.baseURL, { javaScriptEnabled: false });
  try {
    await signIn(page, DEMO.referent.email);
    const form = await importForm(page);
    await page.goto(form);
    await page.setInputFiles("#field-files", ONDE);
    await Promise.all([
      page.waitForURL((url) => url.pathname.startsWith("/annuaire/imports/")),
      page.getByRole("button", { name: "Envoyer et prévisualiser" }).click(),
    ]);
    // The same files were applied by the previous test: nothing left to change.
    const total = page.locator("dl.details dd strong");
    assert.equal(await total.innerText(), "0");
    await page.getByText("ces fichiers sont identiques au dernier import appliqué").waitFor();
  } finally {
    await context.close();
  }
});
