/**
 * The form editor section of the web app (`#/forms`, analysts): the list of forms, the editor
 * of one draft (`#/forms/<draftId>`), and which processes use which forms (`#/forms/usage`).
 *
 *   <FormsSection route={['12']} navigate={(...segments) => navigate('forms', ...segments)} />
 */
import { FormEditor } from './FormEditor';
import { FormList } from './FormList';
import { FormUsage } from './FormUsage';
import './forms.css';

export function FormsSection({
  route,
  navigate,
}: {
  route: string[];
  navigate: (...segments: string[]) => void;
}) {
  const [id] = route;
  if (id === 'usage') return <FormUsage onBack={() => navigate()} />;
  if (id) return <FormEditor key={id} draftId={id} onClose={() => navigate()} />;
  return <FormList onOpen={(draftId) => navigate(draftId)} onUsage={() => navigate('usage')} />;
}
