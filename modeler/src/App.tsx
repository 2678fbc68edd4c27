import { useEffect, useState } from 'react';
import { api, ApiError, type User } from './api';
import { CaseFilesSection } from './cases/CaseFiles';
import { DashboardPage } from './dashboard/Dashboard';
import { FormsSection } from './forms';
import { IntakePage } from './intake/IntakePage';
import { StatusPage } from './intake/StatusPage';
import { InstanceDetail } from './instances/InstanceDetail';
import { InstanceList } from './instances/InstanceList';
import { ProcessDefinitions } from './processes/ProcessDefinitions';
import { ProcessDiff } from './processes/ProcessDiff';
import { ProcessList } from './processes/ProcessList';
import { ProcessModeler } from './processes/ProcessModeler';
import { navigate, useHashRoute } from './routing';
import { RulesPage } from './rules';
import { Shell } from './shell/Shell';
import { SignIn } from './sign-in/SignIn';
import { TaskList } from './tasks/TaskList';
import { TaskPage } from './tasks/TaskPage';

export function App() {
  const [user, setUser] = useState<User | null>();
  const [section, id, ...rest] = useHashRoute();

  useEffect(() => {
    api<{ user: User }>('GET', '/api/auth/me').then(
      ({ user }) => setUser(user),
      (error) => setUser(error instanceof ApiError && error.status === 401 ? null : undefined),
    );
  }, []);

  // The public intake form needs no sign-in.
  if (section === 'intake') return <IntakePage recipientId={id} />;
  if (section === 'status') return <StatusPage reference={id} token={rest[0]} />;
  if (user === undefined) return <p className="loading">Loading…</p>;
  if (user === null) return <SignIn onSignedIn={setUser} />;
  const may = (role: string) => user.roles.includes(role) || user.roles.includes('admin');
  return (
    <Shell
      user={user}
      onSignedOut={() => setUser(null)}
      sections={[
        ...(may('analyst') ? [['processes', 'Processes'] as [string, string]] : []),
        ...(may('analyst') ? [['definitions', 'Deployed'] as [string, string]] : []),
        ...(may('analyst') ? [['rules', 'Rules'] as [string, string]] : []),
        ...(may('analyst') ? [['forms', 'Forms'] as [string, string]] : []),
        ...(may('auditor') ? [['instances', 'Instances'] as [string, string]] : []),
        ...(may('auditor') ? [['dashboard', 'Dashboard'] as [string, string]] : []),
        ...(may('caseworker') ? [['tasks', 'Tasks'] as [string, string]] : []),
        ...(may('caseworker') || may('auditor')
          ? [['cases', 'Case files'] as [string, string]]
          : []),
      ]}
    >
      {section === 'processes' && may('analyst') ? (
        id ? (
          <ProcessModeler key={id} draftId={id} onClose={() => navigate('processes')} />
        ) : (
          <ProcessList onOpen={(draftId) => navigate('processes', draftId)} />
        )
      ) : section === 'rules' && may('analyst') ? (
        <RulesPage
          draftId={id}
          onOpen={(draftId) => navigate('rules', draftId)}
          onClose={() => navigate('rules')}
        />
      ) : section === 'definitions' && may('analyst') ? (
        id === 'diff' && rest.length === 2 ? (
          <ProcessDiff key={rest.join('-')} fromKey={rest[0]} toKey={rest[1]} />
        ) : (
          <ProcessDefinitions />
        )
      ) : section === 'forms' && may('analyst') ? (
        <FormsSection
          route={id ? [id, ...rest] : []}
          navigate={(...segments) => navigate('forms', ...segments)}
        />
      ) : section === 'instances' && may('auditor') ? (
        id ? (
          <InstanceDetail key={id} instanceKey={id} user={user} />
        ) : (
          <InstanceList onOpen={(key) => navigate('instances', key)} />
        )
      ) : section === 'dashboard' && may('auditor') ? (
        <DashboardPage />
      ) : section === 'cases' && (may('caseworker') || may('auditor')) ? (
        <CaseFilesSection reference={id} />
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
