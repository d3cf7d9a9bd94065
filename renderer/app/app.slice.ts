/** App-wide state: workspace info, the connection to the backend and the neural runtime it offers. */
import { create } from 'zustand';
import type { AppInfo, NeuralRuntimeInfo } from '../../electron/contract/index.js';
import { api } from '../api/client.js';
import { errorMessage } from '../api/errors.js';
import type { ConnectionState } from '../api/transport.js';

/** The TensorFlow.js backend the neural models train on, asked once through `app.doctor`. */
export type NeuralRuntime =
  | { status: 'checking' }
  | { status: 'ready'; info: NeuralRuntimeInfo }
  /** the question itself failed (connection lost, an older backend): asked again after a reconnect */
  | { status: 'error'; error: string };

interface AppState {
  info: AppInfo | null;
  infoError: string | null;
  connection: ConnectionState;
  neural: NeuralRuntime;
  loadInfo(): Promise<void>;
  /** asks `app.doctor` unless the answer is known or on its way */
  loadNeural(): Promise<void>;
}

let neuralInFlight: Promise<void> | null = null;

export const useApp = create<AppState>()((set, get) => ({
  info: null,
  infoError: null,
  connection: { status: 'connecting', attempts: 0, retryAt: null, everOpened: false },
  neural: { status: 'checking' },
  async loadInfo() {
    try {
      set({ info: await api.call('app.info', {}), infoError: null });
    } catch (err) {
      set({ infoError: errorMessage(err) });
    }
  },
  loadNeural() {
    if (get().neural.status === 'ready') return Promise.resolve();
    neuralInFlight ??= (async () => {
      set({ neural: { status: 'checking' } });
      try {
        const report = await api.call('app.doctor', {});
        set({ neural: { status: 'ready', info: report.neural } });
      } catch (err) {
        set({ neural: { status: 'error', error: errorMessage(err) } });
      } finally {
        neuralInFlight = null;
      }
    })();
    return neuralInFlight;
  },
}));
