// Shared helpers of the browser suite: a RefNum server on demo data, a
// headless Chromium, sign-in through the real form, and axe-core checks.
//
// Each test file calls `startServer()` once (fresh temporary data dir,
// `refnum demo`, then `refnum serve` on a free loopback port) and
// `launchBrowser()` once, and stops both in its `after` hook.

import { spawn, execFile } from "node:child_process";
import { createHmac } from "node:crypto";
import { mkdtemp, rm, readFile, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { chromium } from "playwright-core";

const execFileAsync = promisify(execFile);
const require = createRequire(import.meta.url);

export const PASSWORD = "e2e-mot-de-passe-solide";

// Display names given by `refnum demo` (crates/services/src/demo.rs).
export const DEMO = {
  admin: { email: "admin@refnum.test", name: "Administratrice RefNum" },
  referent: { email: "referent.malherbe@ac-normandie.test", name: "Julien Roussel" },
  // Teaches at two schools: the header shows the school switcher.
  enseignant: { email: "enseignant.malherbe@ac-normandie.test", name: "Élodie Caron" },
  direction: { email: "direction.malherbe@ac-normandie.test", name: "Hélène Marchand" },
};

function required(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set (see e2e/README.md)`);
  }
  return value;
}

// Servers still running when the process exits (a crash, an uncaught
// error in a hook) are killed here so that none is left behind.
const running = new Set();
function killAll() {
  for (const child of running) {
    try {
      child.kill("SIGKILL");
    } catch {
      // already gone
    }
  }
}
process.on("exit", killAll);
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.once(signal, () => {
    killAll();
    process.exit(128 + (signal === "SIGINT" ? 2 : 15));
  });
}

/**
 * Creates demo data in a fresh temporary directory and starts `refnum serve`
 * on 127.0.0.1 with a port chosen by the system.
 * Returns { baseURL, accounts, dataDir, stop(), logs() }.
 *
 * Options: `configToml`, text of a `refnum.toml` written in the data dir and
 * given with `--config` (e.g. the `[[sso]]` providers of sso.test.mjs);
 * `env`, extra environment variables of `refnum serve`; `keepLogs`, keep
 * everything the server writes (stdout and stderr), returned by `logs()`.
 */
export async function startServer(options = {}) {
  const bin = required("REFNUM_BIN");
  const dataDir = await mkdtemp(path.join(tmpdir(), "refnum-e2e-"));
  const env = { ...process.env, REFNUM_LOG: "warn" };
  // Settings of the developer's environment must not leak into the suite.
  for (const key of ["REFNUM_DATA_DIR", "REFNUM_DATABASE_URL", "REFNUM_CONFIG", "REFNUM_LISTEN", "REFNUM_PUBLIC_URL"]) {
    delete env[key];
  }
  let accounts;
  try {
    const { stdout } = await execFileAsync(
      bin,
      ["demo", "--data-dir", dataDir, "--password", PASSWORD, "--json"],
      { env, maxBuffer: 4 * 1024 * 1024 },
    );
    accounts = JSON.parse(stdout);
  } catch (e) {
    await rm(dataDir, { recursive: true, force: true });
    throw e;
  }

  const serveArgs = ["serve", "--data-dir", dataDir, "--listen", "127.0.0.1:0"];
  if (options.configToml) {
    const configPath = path.join(dataDir, "refnum.toml");
    await writeFile(configPath, options.configToml, "utf8");
    serveArgs.push("--config", configPath);
  }
  const child = spawn(bin, serveArgs, {
    env: { ...env, ...(options.env ?? {}) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.add(child);
  let stderr = "";
  // With `keepLogs`, everything the server writes is kept for logs().
  const kept = [];
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (chunk) => {
    stderr = (stderr + chunk).slice(-8000);
    if (options.keepLogs) kept.push(chunk);
  });
  const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));

  const stop = async () => {
    if (running.has(child)) {
      running.delete(child);
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
        await exited;
        clearTimeout(timer);
      }
    }
    await rm(dataDir, { recursive: true, force: true });
  };

  try {
    const baseURL = await new Promise((resolve, reject) => {
      let stdout = "";
      const timer = setTimeout(() => reject(new Error(`refnum serve did not start in 30 s\n${stderr}`)), 30000);
      child.stdout.setEncoding("utf8");
      child.stdout.on("data", (chunk) => {
        stdout += chunk;
        if (options.keepLogs) kept.push(chunk);
        const m = stdout.match(/RefNum listening on (http:\/\/127\.0\.0\.1:\d+)\//);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
      exited.then(({ code, signal }) => {
        clearTimeout(timer);
        reject(new Error(`refnum serve exited early (code ${code}, signal ${signal})\n${stderr}`));
      });
    });
    return { baseURL, accounts, dataDir, stop, logs: () => kept.join("") };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** Headless Chromium from REFNUM_CHROMIUM (Debian's package). */
export async function launchBrowser() {
  return chromium.launch({
    executablePath: required("REFNUM_CHROMIUM"),
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/**
 * A new browser context (its own cookies) with French as the browser
 * language, and a page in it. Extra options go to browser.newContext.
 */
export async function newPage(browser, baseURL, options = {}) {
  const context = await browser.newContext({ baseURL, locale: "fr-FR", ...options });
  const page = await context.newPage();
  page.setDefaultTimeout(15000);
  page.setDefaultNavigationTimeout(15000);
  return { context, page };
}

/** Sign-in through the form of /connexion; waits for the page after it. */
export async function signIn(page, email, password = PASSWORD) {
  await page.goto("/connexion");
  await page.locator('input[name="email"]').fill(email);
  await page.locator('input[name="password"]').fill(password);
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/connexion"),
    page.locator('form[action="/connexion"] button[type="submit"]').click(),
  ]);
  if (response.status() !== 303) {
    await page.waitForLoadState("load");
    const said = await page.locator("main").innerText().catch(() => "");
    throw new Error(`sign-in of ${email} refused (HTTP ${response.status()}): ${said.slice(0, 300)}`);
  }
  await page.waitForURL((url) => url.pathname !== "/connexion");
  await page.waitForLoadState("load");
  // Privileged accounts pass their second factor (TOTP) as a person does.
  await completeSecondFactor(page, email);
}

/** Sign-out with the header button; waits for /connexion. */
export async function signOut(page) {
  await Promise.all([
    page.waitForURL((url) => url.pathname === "/connexion"),
    page.locator('form[action="/deconnexion"] button[type="submit"]').click(),
  ]);
}

/** The display settings carried by <html>. */
export async function htmlDisplay(page) {
  return page.evaluate(() => {
    const h = document.documentElement;
    return {
      theme: h.getAttribute("data-theme"),
      font: h.getAttribute("data-font"),
      spacing: h.getAttribute("data-spacing"),
      size: h.getAttribute("data-size"),
    };
  });
}

/**
 * Saves display settings with the form of /affichage, like a user: checks
 * one radio button per group, then submits. Waits for the page after it.
 */
export async function saveDisplay(page, settings) {
  await page.goto("/affichage");
  const form = page.locator("form#display-settings");
  for (const [name, value] of Object.entries(settings)) {
    await form.locator(`input[type="radio"][name="${name}"][value="${value}"]`).check();
  }
  await Promise.all([
    page.waitForURL((url) => url.pathname === "/affichage" && url.searchParams.has("fait")),
    form.locator('button[type="submit"]').click(),
  ]);
}

let axeSource;

/**
 * Runs axe-core on the current page with the WCAG 2.0/2.1 A and AA rules.
 * Returns the violations (possibly empty).
 */
export async function axeViolations(page) {
  axeSource ??= await readFile(require.resolve("axe-core/axe.min.js"), "utf8");
  const loaded = await page.evaluate(() => typeof window.axe !== "undefined");
  if (!loaded) {
    await page.addScriptTag({ content: axeSource });
  }
  const results = await page.evaluate(async () => {
    return window.axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
      resultTypes: ["violations"],
    });
  });
  return results.violations;
}

/** A readable account of axe violations, for assertion messages. */
export function formatViolations(where, violations) {
  const lines = [`${violations.length} axe violation(s) on ${where}:`];
  for (const v of violations) {
    lines.push(`- ${v.id} (${v.impact}): ${v.help} — ${v.helpUrl}`);
    for (const node of v.nodes.slice(0, 10)) {
      lines.push(`    ${node.target.join(" ")}${node.failureSummary ? `\n      ${node.failureSummary.replace(/\n/g, "\n      ")}` : ""}`);
    }
    if (v.nodes.length > 10) {
      lines.push(`    … and ${v.nodes.length - 10} more`);
    }
  }
  return lines.join("\n");
}

// --- Second factor (TOTP) ----------------------------------------------
// Privileged demo accounts (admin, dane, dpd, direction) enrol an
// authenticator app at their first sign-in. The harness does what a person
// does: reads the key shown as text on the enrolment page, computes the
// 6-digit code (RFC 6238: HMAC-SHA-1, 30-second steps) and types it.

const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/** Decodes base32 (spaces and padding ignored). */
export function base32Decode(text) {
  let bits = 0;
  let value = 0;
  const out = [];
  for (const ch of text.replace(/[\s=]/g, "").toUpperCase()) {
    const index = BASE32.indexOf(ch);
    if (index < 0) {
      throw new Error(`not base32: ${ch}`);
    }
    value = ((value << 5) | index) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** The 6-digit TOTP code of a base32 secret at a time step. */
export function totpAt(secret, step) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const h = createHmac("sha1", base32Decode(secret)).update(counter).digest();
  const offset = h[19] & 0x0f;
  const bin = ((h[offset] & 0x7f) << 24) | (h[offset + 1] << 16) | (h[offset + 2] << 8) | h[offset + 3];
  return String(bin % 1000000).padStart(6, "0");
}

export const currentStep = () => Math.floor(Date.now() / 1000 / 30);

// Second factors enrolled in this process: "origin email" → { secret, lastStep, recoveryCodes }.
const secondFactors = new Map();

/** The second factor the harness knows for an account of a server. */
export function knownSecondFactor(origin, email) {
  return secondFactors.get(`${origin} ${email}`);
}

/** Remembers a second factor enrolled by a test itself. */
export function rememberSecondFactor(origin, email, state) {
  secondFactors.set(`${origin} ${email}`, { lastStep: null, recoveryCodes: [], ...state });
}

/**
 * A code never used yet: a code is accepted once only, so each sign-in takes
 * a later time step (one step of drift is accepted either way); waits for
 * the next step when all are used.
 */
export async function nextTotpCode(origin, email) {
  for (;;) {
    const state = knownSecondFactor(origin, email);
    if (!state) {
      throw new Error(`no second factor known for ${email}`);
    }
    const seconds = Date.now() / 1000;
    if (seconds % 30 >= 28) {
      await new Promise((r) => setTimeout(r, 2500));
      continue;
    }
    const now = Math.floor(seconds / 30);
    const step = [now - 1, now, now + 1].find((s) => state.lastStep === null || s > state.lastStep);
    if (step !== undefined) {
      state.lastStep = step;
      return totpAt(state.secret, step);
    }
    await new Promise((r) => setTimeout(r, 5000));
  }
}

/**
 * On the second-factor page after a sign-in: enrols (first time) or types
 * a code, then goes on to the page asked for. Does nothing elsewhere.
 */
export async function completeSecondFactor(page, email) {
  const url = new URL(page.url());
  if (url.pathname !== "/connexion/second-facteur") {
    return;
  }
  const secretText = page.locator("#totp-secret");
  if ((await secretText.count()) > 0) {
    rememberSecondFactor(url.origin, email, { secret: (await secretText.innerText()).replace(/\s+/g, "") });
  }
  await page.locator('input[name="code"]').fill(await nextTotpCode(url.origin, email));
  const [response] = await Promise.all([
    page.waitForResponse(
      (r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/connexion/second-facteur",
    ),
    page.locator('form:has(input[name="code"]) button[type="submit"]').click(),
  ]);
  await page.waitForLoadState("load");
  const codes = page.locator("#recovery-codes code");
  if (response.status() === 200 && (await codes.count()) > 0) {
    knownSecondFactor(url.origin, email).recoveryCodes = await codes.allInnerTexts();
    await Promise.all([
      page.waitForURL((u) => u.pathname !== "/connexion/second-facteur"),
      page.locator("#mfa-continue").click(),
    ]);
    await page.waitForLoadState("load");
  }
  if (new URL(page.url()).pathname === "/connexion/second-facteur") {
    const said = await page.locator("main").innerText().catch(() => "");
    throw new Error(`second factor of ${email} refused (HTTP ${response.status()}): ${said.slice(0, 300)}`);
  }
}

/**
 * Opens a page from the menu as a person does: the axis in the main menu
 * ("Équipements"), then, when the axis has several pages, the page in the
 * axis's own row ("Réservations"). An axis with one page is named after it.
 */
export async function openFromMenu(page, axis, item = axis) {
  const main = page.getByRole("navigation", { name: "Menu principal" });
  const group = main.getByRole("link", { name: axis, exact: true });
  const href = await group.getAttribute("href");
  await Promise.all([page.waitForURL((url) => url.pathname === href), group.click()]);
  if (item !== axis) {
    const link = page.getByRole("navigation", { name: axis }).getByRole("link", { name: item, exact: true });
    const to = await link.getAttribute("href");
    if (to !== href) {
      await Promise.all([page.waitForURL((url) => url.pathname === to), link.click()]);
    }
  }
}
