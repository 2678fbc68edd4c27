import { useEffect, useState } from 'react';
import { api, ApiError, type User } from './api';
import { ProcessList } from './processes/ProcessList';
import { ProcessModeler } from './processes/ProcessModeler';
import { navigate, useHashRoute } from './routing';
import { Shell } from './shell/Shell';
import { SignIn } from './sign-in/SignIn';
import { TaskList } from './tasks/TaskList';
import { TaskPage } from './tasks/TaskPage';

export function App() {
  const [user, setUser] = useState<User | null>();
  const [section, id] = useHashRoute();

  useEffect(() => {
    api<{ user: User }>('GET', '/api/auth/me').then(
      ({ user }) => setUser(user),
      (error) => setUser(error instanceof ApiError && error.status === 401 ? null : undefined),
    );
  }, []);

  if (user === undefined) return <p className="loading">Loading…</p>;
  if (user === null) return <SignIn onSignedIn={setUser} />;
  const may = (role: string) => user.roles.includes(role) || user.roles.includes('admin');
  return (
    <Shell
      user={user}
      onSignedOut={() => setUser(null)}
      sections={[
        ...(may('analyst') ? [['processes', 'Processes'] as [string, string]] : []),
        ...(may('caseworker') ? [['tasks', 'Tasks'] as [string, string]] : []),
      ]}
    >
      {section === 'processes' && may('analyst') ? (
        id ? (
          <ProcessModeler key={id} draftId={id} onClose={() => navigate('processes')} />
        ) : (
          <ProcessList onOpen={(draftId) => navigate('processes', draftId)} />
        )
      ) : section === 'tasks' && may('caseworker') ? (
        id ? (
          <TaskPage key={id} taskKey={id} user={user} onClose={() => navigate('tasks')} />
        ) : (
          <TaskList onOpen={(taskKey) => navigate('tasks', taskKey)} />
        )
      ) : (
        <p className="welcome">Welcome, {user.displayName}.</p>
      )}
    </Shell>
  );
}
