// The colour theme: the browser's preference (prefers-color-scheme) unless the viewer picks
// light or dark, remembered in localStorage and applied as <html data-theme>.

export type Theme = "system" | "light" | "dark";
const KEY = "lpm.theme";

/** The theme the viewer picked, or "system". */
export function savedTheme(): Theme {
  const value = localStorage.getItem(KEY);
  return value === "light" || value === "dark" ? value : "system";
}

/** Applies and remembers `theme`. */
export function applyTheme(theme: Theme): void {
  if (theme === "system") {
    localStorage.removeItem(KEY);
    delete document.documentElement.dataset.theme;
  } else {
    localStorage.setItem(KEY, theme);
    document.documentElement.dataset.theme = theme;
  }
}
