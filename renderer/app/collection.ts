/**
 * The list / details / rename / delete part of a store for one kind of named record (datasets,
 * models): the state it keeps and the actions that load and change it through the API.
 */
import { errorCode, errorMessage } from '../api/errors.js';

export type LoadStatus = 'idle' | 'loading' | 'ready' | 'error';

export interface CollectionState<S extends { id: number }, D extends S> {
  list: S[];
  listStatus: LoadStatus;
  listError: string | null;
  details: Record<number, D>;
  detailStatus: Record<number, { status: LoadStatus; error: string | null }>;
}

export interface CollectionActions<S> {
  loadList(): Promise<void>;
  loadDetail(id: number, force?: boolean): Promise<void>;
  rename(id: number, name: string): Promise<S>;
  remove(id: number): Promise<void>;
}

type SetState<T> = (partial: Partial<T> | ((s: T) => Partial<T>)) => void;

export function collectionInitialState<S extends { id: number }, D extends S>(): CollectionState<S, D> {
  return { list: [], listStatus: 'idle', listError: null, details: {}, detailStatus: {} };
}

export function collectionActions<S extends { id: number }, D extends S>(
  set: SetState<CollectionState<S, D>>,
  get: () => CollectionState<S, D>,
  io: {
    list(): Promise<S[]>;
    get(id: number): Promise<D>;
    rename(id: number, name: string): Promise<S>;
    remove(id: number): Promise<unknown>;
    /** the error shown when a detail is asked for a record that no longer exists */
    notFound: string;
  },
): CollectionActions<S> {
  return {
    async loadList() {
      if (get().listStatus !== 'ready') set({ listStatus: 'loading' });
      try {
        const list = await io.list();
        set({ list, listStatus: 'ready', listError: null });
      } catch (err) {
        set({ listStatus: 'error', listError: errorMessage(err) });
      }
    },

    async loadDetail(id, force = false) {
      if (get().details[id] && !force) return;
      set((s) => ({ detailStatus: { ...s.detailStatus, [id]: { status: 'loading', error: null } } }));
      try {
        const detail = await io.get(id);
        set((s) => ({
          details: { ...s.details, [id]: detail },
          detailStatus: { ...s.detailStatus, [id]: { status: 'ready', error: null } },
        }));
      } catch (err) {
        set((s) => ({
          detailStatus: {
            ...s.detailStatus,
            [id]: { status: 'error', error: errorCode(err) === 'NOT_FOUND' ? io.notFound : errorMessage(err) },
          },
        }));
      }
    },

    async rename(id, name) {
      const summary = await io.rename(id, name);
      set((s) => ({
        list: s.list.map((x) => (x.id === id ? summary : x)),
        details: s.details[id] ? { ...s.details, [id]: { ...s.details[id], ...summary } } : s.details,
      }));
      return summary;
    },

    async remove(id) {
      await io.remove(id);
      set((s) => {
        const details = { ...s.details };
        delete details[id];
        return { list: s.list.filter((x) => x.id !== id), details };
      });
    },
  };
}
