/**
 * The rule editor feature: the rules page (decision drafts, deployed decisions), the editor
 * of one draft (decision graph, typed decision table, test bench, undo/redo, deploy), and which
 * processes call which decisions (`#/rules/usage`; draft ids are numbers, so no draft is named so).
 *
 *   <RulesPage draftId={id} onOpen={(id) => navigate('rules', id)} onClose={() => navigate('rules')} />
 */
import { DecisionList } from './DecisionList';
import { DecisionUsage } from './DecisionUsage';
import { RuleEditor } from './RuleEditor';
import './rules.css';

export function RulesPage(props: {
  draftId?: string;
  onOpen: (draftId: string) => void;
  onClose: () => void;
}) {
  if (props.draftId === 'usage') return <DecisionUsage onBack={props.onClose} />;
  return props.draftId ? (
    <RuleEditor key={props.draftId} draftId={props.draftId} onClose={props.onClose} />
  ) : (
    <DecisionList onOpen={props.onOpen} onUsage={() => props.onOpen('usage')} />
  );
}
