import type { ReactNode } from 'react';
import { api, type User } from '../api';

/** The frame around every page for a signed-in user: the sections they may use, who they are. */
export function Shell({
  user,
  sections,
  onSignedOut,
  children,
}: {
  user: User;
  sections: [route: string, label: string][];
  onSignedOut: () => void;
  children?: ReactNode;
}) {
  async function signOut() {
    await api('POST', '/api/auth/logout');
    onSignedOut();
  }
  return (
    <div className="shell">
      <header>
        <strong>Kontor</strong>
        <nav>
          {sections.map(([route, label]) => (
            <a key={route} href={`#/${route}`}>
              {label}
            </a>
          ))}
        </nav>
        <span className="user" data-testid="signed-in-user">
          {user.displayName} ({user.roles.join(', ')})
        </span>
        <button onClick={signOut}>Sign out</button>
      </header>
      <main>{children}</main>
    </div>
  );
}
