/**
 * jsdom has no default actions for keys on a <select>, and user-event adds none. Browsers
 * on Windows and Linux (Chromium, Firefox) move a closed select's selection with the arrow
 * keys and fire `input` and `change` for every step, after the keydown listeners ran.
 * This does the same, so tests can drive selects with user-event keyboard steps.
 */
export function emulateSelectArrowKeys(): () => void {
  function onKeyDown(event: KeyboardEvent) {
    const target = event.target;
    if (!(target instanceof HTMLSelectElement) || event.defaultPrevented || event.altKey) return;
    const step = { ArrowDown: 1, ArrowRight: 1, ArrowUp: -1, ArrowLeft: -1 }[event.key];
    if (!step) return;
    const index = Math.min(target.options.length - 1, Math.max(0, target.selectedIndex + step));
    if (index === target.selectedIndex) return;
    target.selectedIndex = index;
    target.dispatchEvent(new Event('input', { bubbles: true }));
    target.dispatchEvent(new Event('change', { bubbles: true }));
  }
  // On the document, so React's own listeners (on the root) run first, as page code does.
  document.addEventListener('keydown', onKeyDown);
  return () => document.removeEventListener('keydown', onKeyDown);
}
