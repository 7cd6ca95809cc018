/** Short messages in a polite live region: a screen reader reads them, nothing steals focus. */
let hideTimer: number | undefined;

export function toast(message: string): void {
  const region = document.getElementById("toast");
  if (!region) return;
  region.textContent = message;
  region.hidden = false;
  clearTimeout(hideTimer);
  hideTimer = window.setTimeout(() => (region.hidden = true), 4000);
}
