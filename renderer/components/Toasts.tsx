import { Icon } from './Icon.js';
import { useToasts } from './toasts.js';

export function Toasts() {
  const toasts = useToasts((s) => s.toasts);
  const dismiss = useToasts((s) => s.dismiss);
  return (
    <div className="toasts" role="status" aria-live="polite" data-testid="toasts">
      {toasts.map((t) => (
        <div key={t.id} className={`toast toast-${t.kind}`}>
          <Icon name={t.kind === 'error' ? 'error' : t.kind === 'success' ? 'check' : 'info'} />
          <span>{t.text}</span>
          <button type="button" className="btn btn-icon btn-ghost" aria-label="Dismiss notification" onClick={() => dismiss(t.id)}>
            <Icon name="close" size={14} />
          </button>
        </div>
      ))}
    </div>
  );
}
