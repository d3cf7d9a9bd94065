import { useEffect, useState } from 'react';
import { api } from '../api/client.js';
import { Icon } from '../components/Icon.js';
import { useApp } from './app.slice.js';

/** Shown while the WebSocket to the local server is down. */
export function ConnectionBanner() {
  const conn = useApp((s) => s.connection);
  const [now, setNow] = useState(() => Date.now());
  const down = conn.status === 'reconnecting';

  useEffect(() => {
    if (!down) return;
    const t = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(t);
  }, [down]);

  if (!down) return null;
  const secs = conn.retryAt ? Math.max(0, Math.ceil((conn.retryAt - now) / 1000)) : 0;
  return (
    <div className="banner banner-warning" role="alert" data-testid="connection-banner">
      <Icon name="plug" />
      <div className="banner-text">
        <strong>{conn.everOpened ? 'Connection to the Flowsight server lost.' : 'Cannot reach the Flowsight server.'}</strong>{' '}
        <span>
          {secs > 0 ? `Trying again in ${secs} s.` : 'Trying again…'} The page catches up as soon as the server answers.
        </span>
      </div>
      <button type="button" className="btn btn-sm" onClick={() => api.retryNow()}>
        Retry now
      </button>
    </div>
  );
}
