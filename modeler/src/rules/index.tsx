/**
 * The rule editor feature: the rules page (decision drafts, deployed decisions) and the editor
 * of one draft (decision graph, typed decision table, test bench, undo/redo, deploy).
 *
 *   <RulesPage draftId={id} onOpen={(id) => navigate('rules', id)} onClose={() => navigate('rules')} />
 */
import { DecisionList } from './DecisionList';
import { RuleEditor } from './RuleEditor';
import './rules.css';

export function RulesPage(props: {
  draftId?: string;
  onOpen: (draftId: string) => void;
  onClose: () => void;
}) {
  return props.draftId ? (
    <RuleEditor key={props.draftId} draftId={props.draftId} onClose={props.onClose} />
  ) : (
    <DecisionList onOpen={props.onOpen} />
  );
}
