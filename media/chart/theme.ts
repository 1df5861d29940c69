/**
 * Chart colours and font from the CSS variables VS Code injects into every
 * webview (on <html style="--vscode-...">, with a vscode-light / vscode-dark /
 * vscode-high-contrast class on <body>), with fallbacks for each theme kind.
 */
import type { ChartTheme } from './protocol';

export type ThemeKind = 'dark' | 'light' | 'high-contrast' | 'high-contrast-light';

const SYSTEM_FONT = '-apple-system, BlinkMacSystemFont, "Segoe WPC", "Segoe UI", "Ubuntu", "Droid Sans", sans-serif';

const FALLBACKS: Record<ThemeKind, Omit<ChartTheme, 'outsideHours' | 'volumeAlpha'>> = {
  dark: {
    up: '#89d185',
    down: '#f14c4c',
    background: '#1f1f1f',
    text: '#cccccc',
    grid: '#2b2b2b',
    crosshair: '#858585',
    fontFamily: SYSTEM_FONT,
    fontSize: 12,
  },
  light: {
    up: '#388a34',
    down: '#e51400',
    background: '#ffffff',
    text: '#3b3b3b',
    grid: '#e5e5e5',
    crosshair: '#8b8b8b',
    fontFamily: SYSTEM_FONT,
    fontSize: 12,
  },
  'high-contrast': {
    up: '#89d185',
    down: '#f48771',
    background: '#000000',
    text: '#ffffff',
    grid: '#6fc3df',
    crosshair: '#ffffff',
    fontFamily: SYSTEM_FONT,
    fontSize: 12,
  },
  'high-contrast-light': {
    up: '#374e06',
    down: '#b5200d',
    background: '#ffffff',
    text: '#292929',
    grid: '#0f4a85',
    crosshair: '#292929',
    fontFamily: SYSTEM_FONT,
    fontSize: 12,
  },
};

/** How strongly the text colour tints the bars outside regular hours: faint, stronger in high contrast (black or white backgrounds). */
const OUTSIDE_HOURS_ALPHA: Record<ThemeKind, number> = { dark: 0.07, light: 0.07, 'high-contrast': 0.2, 'high-contrast-light': 0.16 };
/** How opaque the volume bars are: half-tones under the candles, near full in high contrast. */
const VOLUME_ALPHA: Record<ThemeKind, number> = { dark: 0.4, light: 0.4, 'high-contrast': 0.85, 'high-contrast-light': 0.75 };

/** The theme kind from the body classes VS Code sets. */
export function themeKind(body: HTMLElement): ThemeKind {
  const c = body.classList;
  if (c.contains('vscode-high-contrast-light')) return 'high-contrast-light';
  if (c.contains('vscode-high-contrast')) return 'high-contrast';
  if (c.contains('vscode-light')) return 'light';
  return 'dark';
}

let probe: CanvasRenderingContext2D | null | undefined;

/**
 * Any CSS colour as '#rrggbb' or 'rgba(r, g, b, a)', the forms lightweight-charts
 * parses; the fallback when the text is empty or not a colour.
 */
export function normaliseColour(text: string, fallback: string): string {
  const value = text.trim();
  if (!value) return fallback;
  if (probe === undefined) probe = document.createElement('canvas').getContext('2d');
  if (!probe) return fallback;
  const sentinel = '#010203';
  probe.fillStyle = sentinel;
  probe.fillStyle = value;
  const out = String(probe.fillStyle);
  return out === sentinel && value.toLowerCase() !== sentinel ? fallback : out;
}

/** Red, green, blue (0..255) and alpha (0..1) of a normalised colour. */
export function colourParts(colour: string): [number, number, number, number] | undefined {
  const hex = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(colour);
  if (hex) return [parseInt(hex[1], 16), parseInt(hex[2], 16), parseInt(hex[3], 16), 1];
  const rgba = /^rgba?\(\s*([\d.]+)\s*,\s*([\d.]+)\s*,\s*([\d.]+)\s*(?:,\s*([\d.]+)\s*)?\)$/i.exec(colour);
  if (rgba) return [Number(rgba[1]), Number(rgba[2]), Number(rgba[3]), rgba[4] === undefined ? 1 : Number(rgba[4])];
  return undefined;
}

/** The colour with its opacity multiplied by alpha. */
export function withAlpha(colour: string, alpha: number): string {
  const p = colourParts(colour);
  if (!p) return colour;
  return `rgba(${p[0]}, ${p[1]}, ${p[2]}, ${+(p[3] * alpha).toFixed(3)})`;
}

/** The chart theme as the page's CSS variables define it right now. */
export function readTheme(doc: Document = document): ChartTheme {
  const kind = themeKind(doc.body);
  const fb = FALLBACKS[kind];
  const css = getComputedStyle(doc.documentElement);
  const v = (name: string) => css.getPropertyValue(name);
  const colour = (fallback: string, ...names: string[]) => {
    for (const n of names) {
      const c = normaliseColour(v(n), '');
      if (c) return c;
    }
    return fallback;
  };
  const text = colour(fb.text, '--vscode-editor-foreground', '--vscode-foreground');
  const border = colour('', '--vscode-editorWidget-border', '--vscode-panel-border');
  const bodyFont = getComputedStyle(doc.body).fontFamily;
  const fontSize = parseFloat(v('--vscode-font-size'));
  return {
    up: colour(fb.up, '--vscode-charts-green'),
    down: colour(fb.down, '--vscode-charts-red'),
    background: colour(fb.background, '--vscode-editor-background'),
    text,
    grid: border ? withAlpha(border, 0.45) : fb.grid,
    crosshair: colour(fb.crosshair, '--vscode-descriptionForeground'),
    outsideHours: withAlpha(text, OUTSIDE_HOURS_ALPHA[kind]),
    volumeAlpha: VOLUME_ALPHA[kind],
    fontFamily: v('--vscode-font-family').trim() || bodyFont || fb.fontFamily,
    fontSize: Number.isFinite(fontSize) && fontSize >= 8 && fontSize <= 30 ? Math.max(10, fontSize - 1) : fb.fontSize,
  };
}

/** Calls onChange whenever VS Code switches the theme (body class or the injected variables change). */
export function watchTheme(onChange: () => void, doc: Document = document): () => void {
  const observer = new MutationObserver(() => onChange());
  observer.observe(doc.body, { attributes: true, attributeFilter: ['class'] });
  observer.observe(doc.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
  return () => observer.disconnect();
}
