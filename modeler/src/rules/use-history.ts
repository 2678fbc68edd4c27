/**
 * Undo and redo for the rule editor: every change is a new immutable document pushed onto the
 * history; `undo` and `redo` move through it. A change with `mergeKey` equal to the last one's
 * (typing in one field) replaces the last entry, so one undo takes back a whole word.
 */
import { useCallback, useReducer } from 'react';

export interface History<T> {
  readonly past: readonly T[];
  readonly present: T | undefined;
  readonly future: readonly T[];
  readonly lastMergeKey?: string;
}

export type HistoryAction<T> =
  | { type: 'reset'; value: T }
  | { type: 'change'; value: T; mergeKey?: string }
  | { type: 'undo' }
  | { type: 'redo' };

const LIMIT = 200;

/** The history's reducer: pure, so that do and undo are tested without React. */
export function historyReducer<T>(state: History<T>, action: HistoryAction<T>): History<T> {
  switch (action.type) {
    case 'reset':
      return { past: [], present: action.value, future: [] };
    case 'change': {
      if (state.present === undefined || action.value === state.present) return state;
      const merge = action.mergeKey !== undefined && action.mergeKey === state.lastMergeKey;
      return {
        past: merge ? state.past : [...state.past, state.present].slice(-LIMIT),
        present: action.value,
        future: [],
        lastMergeKey: action.mergeKey,
      };
    }
    case 'undo':
      if (state.past.length === 0 || state.present === undefined) return state;
      return {
        past: state.past.slice(0, -1),
        present: state.past[state.past.length - 1],
        future: [state.present, ...state.future],
      };
    case 'redo':
      if (state.future.length === 0 || state.present === undefined) return state;
      return {
        past: [...state.past, state.present],
        present: state.future[0],
        future: state.future.slice(1),
      };
  }
}

export interface UndoHistory<T> {
  readonly present: T | undefined;
  readonly canUndo: boolean;
  readonly canRedo: boolean;
  change(value: T, mergeKey?: string): void;
  reset(value: T): void;
  undo(): void;
  redo(): void;
}

export function useHistory<T>(): UndoHistory<T> {
  const [state, dispatch] = useReducer(historyReducer<T>, {
    past: [],
    present: undefined,
    future: [],
  });
  return {
    present: state.present,
    canUndo: state.past.length > 0,
    canRedo: state.future.length > 0,
    change: useCallback(
      (value: T, mergeKey?: string) => dispatch({ type: 'change', value, mergeKey }),
      [],
    ),
    reset: useCallback((value: T) => dispatch({ type: 'reset', value }), []),
    undo: useCallback(() => dispatch({ type: 'undo' }), []),
    redo: useCallback(() => dispatch({ type: 'redo' }), []),
  };
}
