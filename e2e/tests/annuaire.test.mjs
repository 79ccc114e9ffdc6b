// The directory pages in the browser: a referent opens the overview, the
// classes, a class, the staff and the pupils of the Lycée Malherbe, filled by
// a real import (the ONDE extraction of `shared/fixtures`, through the CLI).
// axe-core runs on each page; like the accessibility file, the context is
// created with bypassCSP: true so that axe-core can be injected.

import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { after, before, test } from "node:test";
import {
  DEMO,
  axeViolations,
  formatViolations,
  launchBrowser,
  newPage,
  signIn,
  startServer, openFromMenu } from "../harness.mjs";

const execFileAsync = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
const FIXTURES = path.resolve(here, "../../../shared/fixtures");
const MALHERBE = "0140013N";

let server;
let browser;
let referent; // { context, page }

async function noViolations(page, where) {
  const violations = await axeViolations(page);
  assert.equal(violations.length, 0, formatViolations(where, violations));
}

before(async () => {
  server = await startServer();
  // The ONDE files carry no school code: they go into the Lycée Malherbe.
  const files = ["eleves", "enseignants", "responsables"].map((k) =>
    path.join(FIXTURES, "be1d", `CSVExtraction-${k}.csv`),
  );
  const env = { ...process.env, REFNUM_LOG: "warn" };
  for (const key of ["REFNUM_DATABASE_URL", "REFNUM_CONFIG", "REFNUM_DATA_DIR"]) delete env[key];
  const { stdout } = await execFileAsync(
    process.env.REFNUM_BIN,
    ["import", "onde", ...files, "--etablissement", MALHERBE, "--data-dir", server.dataDir],
    { env, maxBuffer: 4 * 1024 * 1024 },
  );
  assert.match(stdout, /Appliqué : \d+ modifications/);
  browser = await launchBrowser();
  referent = await newPage(browser, server.baseURL, { bypassCSP: true });
  await signIn(referent.page, DEMO.referent.email);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test("the referent opens the directory overview from the navigation", async () => {
  const page = referent.page;
  await page.goto("/");
  await openFromMenu(page, "Services en ligne", "Annuaire");
  await page.waitForLoadState("load");
  assert.match(new URL(page.url()).pathname, /^\/etablissements\/[0-9a-f-]{36}\/annuaire$/);
  assert.equal(await page.locator("h1").innerText(), "Annuaire — Lycée Malherbe");
  // Freshness: ONDE imported today, the others never.
  const fresh = page.getByRole("table", { name: "Dernier import de chaque source" });
  const onde = fresh.getByRole("row").filter({ hasText: "ONDE" });
  assert.match(await onde.innerText(), /À jour/);
  const sts = fresh.getByRole("row").filter({ hasText: "STS-web" });
  assert.match(await sts.innerText(), /Jamais importé/);
  // The import and its author, the import link and the rollover form.
  assert.match(await page.getByRole("table", { name: "Les dix derniers imports de l'établissement" }).innerText(), /CSVExtraction-eleves\.csv/);
  assert.equal(await page.getByRole("link", { name: "Importer des fichiers" }).count(), 1);
  assert.equal(await page.getByRole("button", { name: "Archiver les classes des années précédentes" }).count(), 1);
  await noViolations(page, "directory overview");

  // The single search box goes to the pupils list, accents folded.
  await page.getByLabel("Nom, prénom, INE ou classe").fill("lea");
  await page.getByRole("button", { name: "Chercher un élève" }).click();
  await page.waitForLoadState("load");
  assert.match(new URL(page.url()).pathname, /\/annuaire\/eleves$/);
  assert.match(await page.locator("main table").innerText(), /MATHIEU Léa/);
  await noViolations(page, "pupils search");
});

test("the referent browses the classes and one class", async () => {
  const page = referent.page;
  await page.getByRole("navigation", { name: "Sections de l'annuaire" }).getByRole("link", { name: "Classes et groupes" }).click();
  await page.waitForLoadState("load");
  const table = page.getByRole("table", { name: "Classes et groupes de l'année en cours" });
  assert.ok((await table.locator("tbody tr").count()) > 3, "the ONDE classes are listed");
  await noViolations(page, "classes");
  const ce1 = table.getByRole("link", { name: "CE1", exact: true });
  await ce1.click();
  await page.waitForLoadState("load");
  assert.equal(await page.locator("h1").innerText(), "Classe CE1");
  assert.match(await page.getByRole("table", { name: "Élèves" }).innerText(), /CAILLET Eléa/);
  await noViolations(page, "one class");
});

test("the referent reads the staff list and a record", async () => {
  const page = referent.page;
  await page.getByRole("navigation", { name: "Sections de l'annuaire" }).getByRole("link", { name: "Personnels" }).click();
  await page.waitForLoadState("load");
  const table = page.getByRole("table", { name: "Personnels de l'établissement" });
  assert.match(await table.innerText(), /BAILLY Catherine/);
  await noViolations(page, "staff list");
  // Sorting is a link: the header says how the column is sorted.
  const header = table.getByRole("columnheader", { name: /Nom/ });
  assert.equal(await header.getAttribute("aria-sort"), "ascending");
  await header.getByRole("link").click();
  await page.waitForLoadState("load");
  assert.equal(
    await page.getByRole("table", { name: "Personnels de l'établissement" }).getByRole("columnheader", { name: /Nom/ }).getAttribute("aria-sort"),
    "descending",
  );
  await page.getByRole("link", { name: "BAILLY Catherine" }).click();
  await page.waitForLoadState("load");
  assert.equal(await page.locator("h1").innerText(), "BAILLY Catherine");
  assert.match(await page.locator("main").innerText(), /Provenance[\s\S]*ONDE/);
  await noViolations(page, "staff record");
});
