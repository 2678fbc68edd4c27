/** Hash routes (`#/processes/12`), so that deep links and reloads work without server routes. */
import { useEffect, useState } from 'react';

export function useHashRoute(): string[] {
  const read = () => window.location.hash.replace(/^#\/?/, '').split('/').filter(Boolean);
  const [segments, setSegments] = useState(read);
  useEffect(() => {
    const onChange = () => setSegments(read());
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return segments;
}

export function navigate(...segments: string[]): void {
  window.location.hash = `/${segments.join('/')}`;
}
