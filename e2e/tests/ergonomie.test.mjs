// Every demo role, as a new user: from the home page, every same-origin
// link (GET, a bounded crawl) answers without a 4xx or 5xx, no page is wider
// than its viewport at 1,280 px and at 390 px, and on a phone the title of
// each main page shows within the first 300 px.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { launchBrowser, newPage, signIn, startServer } from "../harness.mjs";

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

/** Pages a crawl of one role visits at most, and of one kind. */
const MAX_PAGES = 90;
const PER_KIND = 4;

/** Links a crawl does not follow: files, feeds, exports and sign-out. */
function followable(href, base) {
  let url;
  try {
    url = new URL(href, base);
  } catch {
    return null;
  }
  if (url.origin !== new URL(base).origin) return null;
  const p = url.pathname;
  if (/\.(csv|ods|ics|json|pdf|png|svg|woff2|css|js)$/.test(p)) return null;
  if (p.startsWith("/assets/") || p.startsWith("/agenda/") || p.startsWith("/api/")) return null;
  if (p === "/deconnexion" || p.startsWith("/q/")) return null;
  url.hash = "";
  return url.pathname + url.search;
}

/**
 * The kind of page a link opens: ids, dates and numbers replaced, query
 * keys kept. The crawl opens a few pages of each kind, so that a bounded
 * crawl reaches every kind (resources' weeks, booking forms, tickets).
 */
function kindOf(path) {
  const [p, q = ""] = path.split("?");
  const norm = (s) =>
    s
      .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, "{id}")
      .replace(/\d{4}-\d{2}-\d{2}/g, "{date}")
      .replace(/\d+/g, "{n}");
  const keys = q
    .split("&")
    .filter(Boolean)
    .map((kv) => kv.split("=")[0])
    .sort()
    .join("&");
  return `${norm(p)}?${keys}`;
}

/** A page's same-origin links, without those that download. */
async function linksOf(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll("a[href]")]
      .filter((a) => !a.hasAttribute("download"))
      .map((a) => a.getAttribute("href")),
  );
}

async function widths(page) {
  return page.evaluate(() => ({ page: document.documentElement.scrollWidth, view: window.innerWidth }));
}

/** Crawls from "/" as `email`; returns the paths visited with their status. */
async function crawl(email) {
  const { context, page } = await newPage(browser, server.baseURL, { viewport: { width: 1280, height: 900 } });
  const seen = new Map();
  const problems = [];
  try {
    await signIn(page, email);
    const queue = ["/"];
    // How many pages of each kind are queued: up to four (four resources,
    // four tickets…), since a link may be allowed on one and not another.
    const queued = new Map([[kindOf("/"), 1]]);
    while (queue.length > 0 && seen.size < MAX_PAGES) {
      const path = queue.shift();
      const response = await page.goto(path);
      const status = response ? response.status() : 0;
      seen.set(path, status);
      if (status >= 400) {
        problems.push(`${path}: HTTP ${status}`);
        continue;
      }
      const w = await widths(page);
      if (w.page > w.view) problems.push(`${path}: ${w.page} px wide at 1,280 px`);
      for (const href of await linksOf(page)) {
        const next = followable(href, page.url());
        // One page of each list is enough: sorts and pages lead to the same template.
        const kind = next && kindOf(next);
        if (next && !seen.has(next) && !queue.includes(next) && (queued.get(kind) || 0) < PER_KIND) {
          queued.set(kind, (queued.get(kind) || 0) + 1);
          queue.push(next);
        }
      }
    }
    // The same pages on a phone: not wider than the screen; the main pages'
    // titles within the first 300 px.
    await page.setViewportSize({ width: 390, height: 844 });
    const main = [...seen.keys()].filter((p) => seen.get(p) < 400).slice(0, 20);
    for (const path of main) {
      await page.goto(path);
      const w = await widths(page);
      if (w.page > w.view) problems.push(`${path}: ${w.page} px wide at 390 px`);
      const box = await page.locator("h1").first().boundingBox();
      if (!box || box.y > 300) problems.push(`${path}: title at ${box ? Math.round(box.y) : "?"} px on a phone`);
    }
  } finally {
    await context.close();
  }
  return { seen, problems };
}

describe("every role's links and pages", () => {
  test("each demo role crawls from its home without a refused link, a server error or a page too wide", async () => {
    const roles = new Map();
    for (const a of server.accounts) {
      if (!roles.has(a.role)) roles.set(a.role, a.email);
    }
    assert.ok(roles.size >= 8, `demo roles: ${[...roles.keys()].join(", ")}`);
    const all = [];
    for (const [role, email] of roles) {
      const { seen, problems } = await crawl(email);
      if (process.env.REFNUM_CRAWL_LIST) console.log(role, [...seen.keys()].join("\n  "));
      assert.ok(seen.size >= 3, `${role}: only ${seen.size} pages reached`);
      all.push(...problems.map((p) => `${role} (${email}) ${p}`));
    }
    assert.deepEqual(all, [], all.join("\n"));
  });
});
