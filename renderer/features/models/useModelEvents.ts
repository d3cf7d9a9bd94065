/**
 * Keeps the models store current: `models.changed` events, and a re-read after the connection
 * comes back (events may have been missed). Mounted once by the app shell.
 */
import { useEffect } from 'react';
import { api } from '../../api/client.js';
import { useModels } from './models.slice.js';

export function useModelEvents(): void {
  useEffect(() => {
    // the first load (for the navigation badge); the Models page reloads on arrival
    void useModels.getState().loadList();
    const offEvent = api.onEvent((event) => useModels.getState().applyEvent(event));
    let wasOpen = api.connection().status === 'open';
    const offConn = api.onConnection((state) => {
      const open = state.status === 'open';
      if (open && !wasOpen) {
        const s = useModels.getState();
        if (s.listStatus !== 'idle') void s.loadList();
        for (const id of Object.keys(s.details)) void s.loadDetail(Number(id), true);
      }
      wasOpen = open;
    });
    return () => {
      offEvent();
      offConn();
    };
  }, []);
}
