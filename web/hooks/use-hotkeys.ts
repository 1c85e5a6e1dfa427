import { useEffect, useRef } from 'react';

/**
 * Global keyboard shortcuts, one chord each: `mod+k` (Ctrl, or ⌘ on a Mac), `/`, `escape`.
 * Plain keys are ignored while the user types in a field; `mod+` chords work everywhere.
 */
export type Hotkeys = Record<string, (event: KeyboardEvent) => void>;

export const isMac = () => /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

function chordOf(event: KeyboardEvent): string {
  const mod = isMac() ? event.metaKey : event.ctrlKey;
  return `${mod ? 'mod+' : ''}${event.shiftKey && event.key.length > 1 ? 'shift+' : ''}${event.key.toLowerCase()}`;
}

export function useHotkeys(bindings: Hotkeys): void {
  const latest = useRef(bindings);
  latest.current = bindings;
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.isComposing) return;
      const chord = chordOf(event);
      const handler = latest.current[chord];
      if (!handler) return;
      if (!chord.startsWith('mod+') && isTyping(event.target)) return;
      event.preventDefault();
      handler(event);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
