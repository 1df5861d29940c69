/* global document -- evaluated inside the browser page */
// Reading and driving the VS Code workbench in the browser the way a person
// does: status bar text, the command palette, the watchlist rows, and the
// pixels of the chart's canvases.
import { setTimeout as sleep } from 'node:timers/promises';

/** Polls fn until it returns a truthy value or the time is up; returns the last value. */
export async function waitFor(what, fn, { timeoutMs = 30_000, intervalMs = 250 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last;
  let lastError;
  while (Date.now() < deadline) {
    try {
      last = await fn();
      if (last) return last;
    } catch (err) {
      lastError = err;
    }
    await sleep(intervalMs);
  }
  const detail = lastError ? ` (last error: ${lastError.message})` : last !== undefined ? ` (last value: ${JSON.stringify(last)})` : '';
  throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}${detail}`);
}

export async function waitForWorkbench(page) {
  await page.waitForSelector('.monaco-workbench .part.statusbar', { timeout: 60_000 });
  await page.waitForSelector('.monaco-workbench .part.activitybar', { timeout: 60_000 });
}

/** Texts of all status bar items. */
export function statusBarTexts(page) {
  return page.$$eval('.part.statusbar .statusbar-item', (items) =>
    items.map((el) => (el.innerText || el.textContent || '').replace(/\s+/g, ' ').trim()).filter(Boolean),
  );
}

/** The text of the first status bar item starting with prefix, or undefined. */
export async function statusItem(page, prefix) {
  const texts = await statusBarTexts(page);
  return texts.find((t) => t === prefix || t.startsWith(prefix + ' '));
}

export async function waitForStatus(page, prefix, pattern, timeoutMs = 30_000) {
  return waitFor(
    `a status bar item "${prefix} …" matching ${pattern}`,
    async () => {
      const text = await statusItem(page, prefix);
      return text && pattern.test(text) ? text : undefined;
    },
    { timeoutMs },
  );
}

/** Opens the palette (F1), types the command's title and waits until it is the selected entry. */
export async function typeCommand(page, title, { escape = true } = {}) {
  // Escape first closes what a step left open; `escape: false` where Escape would mean something (a chart's stepping)
  if (escape) await page.keyboard.press('Escape');
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input.input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await page.keyboard.type(title, { delay: 10 });
  await waitFor(
    `"${title}" selected in the command palette`,
    async () => {
      const focused = await page
        .$eval('.quick-input-list .monaco-list-row.focused', (el) => el.getAttribute('aria-label') || el.textContent || '')
        .catch(() => '');
      return focused.split(',')[0].trim().startsWith(title) ? focused : undefined;
    },
    { timeoutMs: 10_000 },
  );
}

/** F1, type, Enter: runs a command from the palette. */
export async function runCommand(page, title, options) {
  await typeCommand(page, title, options);
  await page.keyboard.press('Enter');
}

/** If a quick input (pick or text box) is open, types the answer and presses Enter. */
export async function answerQuickInput(page, text, timeoutMs = 5_000) {
  const input = page.locator('.quick-input-widget input.input');
  try {
    await input.waitFor({ state: 'visible', timeout: timeoutMs });
  } catch {
    return false;
  }
  await input.fill(text);
  await sleep(300);
  await page.keyboard.press('Enter');
  return true;
}

/** Opens a view container from the activity bar by its label. */
export async function openViewContainer(page, label) {
  const item = page.locator(`.part.activitybar [aria-label^="${label}"]`).first();
  await item.waitFor({ state: 'visible', timeout: 30_000 });
  const container = page.locator('.part.sidebar .composite.title, .part.sidebar .title-label');
  const shown = await container
    .first()
    .innerText()
    .catch(() => '');
  if (!shown.toUpperCase().includes(label.toUpperCase())) await item.click();
  await waitFor(
    `the "${label}" side bar`,
    async () => {
      const text = await page
        .locator('.part.sidebar')
        .innerText()
        .catch(() => '');
      return text.toUpperCase().includes(label.toUpperCase()) ? text : undefined;
    },
    { timeoutMs: 15_000 },
  );
}

/** Rows of the tree views in the side bar, as a person reads them (label + description). */
export function sideBarRows(page) {
  return page.$$eval('.part.sidebar .monaco-list-row', (rows) =>
    rows
      .map((r) => {
        // label and description are adjacent spans: join them with a space
        const parts = Array.from(r.querySelectorAll('.label-name, .label-description')).map((e) => e.textContent || '');
        const text = parts.length ? parts.join(' ') : r.textContent || '';
        return text.replace(/\s+/g, ' ').trim();
      })
      .filter(Boolean),
  );
}

/**
 * Measures every canvas in every frame (webviews are nested iframes): size,
 * share of pixels that differ from the corner colour, and distinct colours.
 */
export async function canvasStats(page) {
  const stats = [];
  for (const frame of page.frames()) {
    let found;
    try {
      found = await frame.evaluate(() => {
        return Array.from(document.querySelectorAll('canvas')).map((c) => {
          const out = { width: c.width, height: c.height, drawn: 0, colours: 0 };
          if (!c.width || !c.height) return out;
          const ctx = c.getContext('2d');
          if (!ctx) return out;
          const { data } = ctx.getImageData(0, 0, c.width, c.height);
          const bg = [data[0], data[1], data[2], data[3]];
          const colours = new Set();
          let drawn = 0;
          let total = 0;
          const step = 4 * 3; // every third pixel is plenty
          for (let i = 0; i < data.length; i += step) {
            total++;
            const differs = Math.abs(data[i] - bg[0]) + Math.abs(data[i + 1] - bg[1]) + Math.abs(data[i + 2] - bg[2]) + Math.abs(data[i + 3] - bg[3]) > 24;
            if (differs) drawn++;
            if (data[i + 3] > 0) colours.add((data[i] >> 3) * 1024 + (data[i + 1] >> 3) * 32 + (data[i + 2] >> 3));
          }
          out.drawn = drawn / total;
          out.colours = colours.size;
          return out;
        });
      });
    } catch {
      continue; // a frame that went away or cannot be read
    }
    for (const s of found) stats.push({ frame: frame.url().slice(0, 80), ...s });
  }
  return stats;
}
