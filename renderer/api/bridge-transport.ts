/** Preload bridge transport (Electron face): `window.flowsight`. */
import type { PreloadBridge } from '../../electron/contract/index.js';
import { ApiCallError, toApiCallError } from './errors.js';
import type { ConnectionState, Transport } from './transport.js';

const OPEN_STATE: ConnectionState = { status: 'open', attempts: 0, retryAt: null, everOpened: true };

export function createBridgeTransport(bridge: PreloadBridge): Transport {
  return {
    kind: 'electron',
    async call(name, input) {
      let envelope;
      try {
        envelope = await bridge.call(name, input ?? {});
      } catch (err) {
        throw toApiCallError(err);
      }
      if (!envelope || typeof envelope !== 'object') {
        throw new ApiCallError('INTERNAL', `The desktop app gave no answer to "${name}".`);
      }
      if (envelope.ok) return envelope.result;
      throw toApiCallError(envelope.error);
    },
    onEvent: (listener) => bridge.onEvent(listener),
    connection: () => OPEN_STATE,
    onConnection: () => () => {},
    retryNow: () => {},
    openFiles: (options) => bridge.openFiles(options),
    close: () => {},
  };
}
