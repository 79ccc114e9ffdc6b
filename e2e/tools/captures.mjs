// Screenshots and layout figures of the main screens, for the closing notes
// of ergonomics work and for the accessibility audit.
//
//   refnum demo --data-dir DIR --scale 1 --password PW
//   refnum serve --data-dir DIR --listen 127.0.0.1:8099 &
//   REFNUM_CHROMIUM=/usr/bin/chromium node e2e/tools/captures.mjs \
//       http://127.0.0.1:8099 PW OUT_DIR [EMAIL]
//
// The second factor is enrolled on the first sign-in (as the browser suite
// does). For each width (1,280 and 390 px) it signs in (the scale school's
// referent by default), opens the home, the open tickets, the parc list and
// the day view of bookings, saves a screenshot of the first screen of each
// in OUT_DIR and prints, as JSON lines: the page's width against the
// window's, the top of the page title, the height of what stands above the
// first table (filters and all), the table's width and the table rows
// visible in the first screen and the rows a window holds.

import { mkdir } from "node:fs/promises";
import path from "node:path";
import { chromium } from "playwright-core";
import { signIn } from "../harness.mjs";

const [base, password, out, email = "referent.scale01@ac-normandie.test"] = process.argv.slice(2);
if (!base || !password || !out) {
  console.error("usage: node e2e/tools/captures.mjs BASE_URL PASSWORD OUT_DIR [EMAIL]");
  process.exit(2);
}
await mkdir(out, { recursive: true });
const browser = await chromium.launch({ executablePath: process.env.REFNUM_CHROMIUM || "/usr/bin/chromium" });

async function figures(page) {
  return page.evaluate(() => {
    const h1 = document.querySelector("h1");
    const table = document.querySelector("main table");
    const rows = table ? Array.from(table.querySelectorAll("tbody tr")) : [];
    return {
      pageWidth: document.documentElement.scrollWidth,
      windowWidth: window.innerWidth,
      titleTop: h1 ? Math.round(h1.getBoundingClientRect().top + window.scrollY) : null,
      aboveTable: table ? Math.round(table.getBoundingClientRect().top + window.scrollY) : null,
      tableWidth: table ? Math.round(table.getBoundingClientRect().width) : null,
      rowsInFirstScreen: rows.filter((r) => r.getBoundingClientRect().bottom <= window.innerHeight).length,
      // Rows a window holds once the table is scrolled to (the mean height
      // of the first ten rows).
      rowsPerWindow: rows.length
        ? Math.floor(
            window.innerHeight /
              (rows.slice(0, 10).reduce((h, r) => h + r.getBoundingClientRect().height, 0) /
                Math.min(rows.length, 10)),
          )
        : 0,
    };
  });
}

try {
  for (const [width, height] of [[1280, 800], [390, 844]]) {
    const context = await browser.newContext({ baseURL: base, viewport: { width, height } });
    const page = await context.newPage();
    // The sign-in of the browser suite, second factor included.
    await signIn(page, email, password);
    const home = new URL(page.url()).pathname;
    const etab = await page.evaluate(() => {
      const a = Array.from(document.querySelectorAll("a[href^='/etablissements/']")).find((x) =>
        /^\/etablissements\/[0-9a-f-]{36}/.test(x.getAttribute("href")),
      );
      return a ? a.getAttribute("href").match(/[0-9a-f-]{36}/)[0] : null;
    });
    const screens = [
      ["home", home],
      ["tickets", "/assistance"],
      ["parc", `/etablissements/${etab}/parc`],
      ["reservations-jour", `/etablissements/${etab}/reservations/jour`],
    ];
    for (const [name, url] of screens) {
      const r = await page.goto(url);
      const f = await figures(page);
      await page.screenshot({ path: path.join(out, `${name}-${width}.png`) });
      console.log(JSON.stringify({ screen: name, width, status: r.status(), url, ...f }));
    }
    await context.close();
  }
} finally {
  await browser.close();
}
