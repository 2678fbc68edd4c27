import type { ReactNode } from 'react';
import { api, type User } from '../api';

/** The frame around every page for a signed-in user: who they are, and signing out. */
export function Shell({
  user,
  onSignedOut,
  children,
}: {
  user: User;
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
        <span className="user" data-testid="signed-in-user">
          {user.displayName} ({user.roles.join(', ')})
        </span>
        <button onClick={signOut}>Sign out</button>
      </header>
      <main>{children}</main>
    </div>
  );
}
