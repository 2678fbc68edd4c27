import { describe, expect, it } from 'vitest';
import { historyReducer, type History } from './use-history';

const start: History<string> = { past: [], present: 'a', future: [] };

describe('undo history', () => {
  it('undoes and redoes a change', () => {
    // given
    const changed = historyReducer(start, { type: 'change', value: 'b' });
    // when
    const undone = historyReducer(changed, { type: 'undo' });
    const redone = historyReducer(undone, { type: 'redo' });
    // then
    expect(undone.present).toBe('a');
    expect(redone.present).toBe('b');
    expect(historyReducer(start, { type: 'undo' })).toBe(start);
  });

  it('takes back a run of typing in one field as one step', () => {
    let state = historyReducer(start, { type: 'change', value: 'ab', mergeKey: 'name' });
    state = historyReducer(state, { type: 'change', value: 'abc', mergeKey: 'name' });
    state = historyReducer(state, { type: 'change', value: 'abcd', mergeKey: 'other' });
    expect(state.past).toEqual(['a', 'abc']);
    expect(historyReducer(state, { type: 'undo' }).present).toBe('abc');
  });

  it('forgets what was undone once something new is done', () => {
    let state = historyReducer(start, { type: 'change', value: 'b' });
    state = historyReducer(state, { type: 'undo' });
    state = historyReducer(state, { type: 'change', value: 'c' });
    expect(state.future).toEqual([]);
    expect(historyReducer(state, { type: 'redo' }).present).toBe('c');
  });
});
