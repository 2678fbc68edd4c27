import { useEffect, useState } from 'react';
import { api, ApiError, type User } from './api';
import { Shell } from './shell/Shell';
import { SignIn } from './sign-in/SignIn';

export function App() {
  const [user, setUser] = useState<User | null>();

  useEffect(() => {
    api<{ user: User }>('GET', '/api/auth/me').then(
      ({ user }) => setUser(user),
      (error) => setUser(error instanceof ApiError && error.status === 401 ? null : undefined),
    );
  }, []);

  if (user === undefined) return <p className="loading">Loading…</p>;
  if (user === null) return <SignIn onSignedIn={setUser} />;
  return <Shell user={user} onSignedOut={() => setUser(null)} />;
}
