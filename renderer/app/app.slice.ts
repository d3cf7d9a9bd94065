/** App-wide state: workspace info and the connection to the backend. */
import { create } from 'zustand';
import type { AppInfo } from '../../electron/contract/index.js';
import { api } from '../api/client.js';
import { errorMessage } from '../api/errors.js';
import type { ConnectionState } from '../api/transport.js';

interface AppState {
  info: AppInfo | null;
  infoError: string | null;
  connection: ConnectionState;
  loadInfo(): Promise<void>;
}

export const useApp = create<AppState>()((set) => ({
  info: null,
  infoError: null,
  connection: { status: 'connecting', attempts: 0, retryAt: null, everOpened: false },
  async loadInfo() {
    try {
      set({ info: await api.call('app.info', {}), infoError: null });
    } catch (err) {
      set({ infoError: errorMessage(err) });
    }
  },
}));
