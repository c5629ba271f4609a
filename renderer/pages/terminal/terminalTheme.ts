import type { ITheme } from '@xterm/xterm';

// Terminal colours that follow the app's light or dark look: background, text and accent come from
// the app's CSS variables, and the ANSI palette is one that reads well on that background.

const darkScheme = '(prefers-color-scheme: dark)';

// xterm.js's own palette is made for dark backgrounds; on a light one its white and yellow vanish.
const lightPalette: ITheme = {
  black: '#1d232a',
  red: '#c4262e',
  green: '#1a7f37',
  yellow: '#8a6a00',
  blue: '#1d63ed',
  magenta: '#a626a4',
  cyan: '#0b7a8a',
  white: '#6e7781',
  brightBlack: '#57606a',
  brightRed: '#d43c3c',
  brightGreen: '#2a9d4b',
  brightYellow: '#9a7b00',
  brightBlue: '#3b7bf5',
  brightMagenta: '#b73bb5',
  brightCyan: '#1a8fa0',
  brightWhite: '#8c959f',
};

export function currentTerminalTheme(): ITheme {
  const css = getComputedStyle(document.documentElement);
  const variable = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  const dark = window.matchMedia(darkScheme).matches;
  const accent = variable('--accent', '#1d63ed');
  return {
    ...(dark ? {} : lightPalette),
    background: variable('--panel', dark ? '#22272e' : '#ffffff'),
    foreground: variable('--text', dark ? '#e6e9ec' : '#1d232a'),
    cursor: accent,
    cursorAccent: variable('--panel', '#ffffff'),
    selectionBackground: `${accent}55`,
  };
}

/** Calls `listener` whenever the app switches between light and dark; returns the unsubscribe. */
export function onThemeChange(listener: () => void): () => void {
  const query = window.matchMedia(darkScheme);
  query.addEventListener('change', listener);
  return () => query.removeEventListener('change', listener);
}
