/** Small pieces shared by the list and detail pages: error notice with Retry, breadcrumbs, tab title, loading state. */
import { type ReactNode, useEffect } from 'react';
import { Icon } from './Icon.js';

/** An error notice with a Retry button (`refreshIcon`: the button carries the refresh icon). */
export function RetryNotice({ children, onRetry, refreshIcon }: { children: ReactNode; onRetry(): void; refreshIcon?: boolean }) {
  return (
    <div className="notice notice-error" role="alert">
      <Icon name="error" />
      <div className="notice-body">{children}</div>
      <button type="button" className="btn btn-sm" onClick={onRetry}>
        {refreshIcon ? (
          <>
            <Icon name="refresh" size={14} /> Retry
          </>
        ) : (
          'Retry'
        )}
      </button>
    </div>
  );
}

/** "Section › item" above a detail page. */
export function Breadcrumbs({ parentHref, parentLabel, current }: { parentHref: string; parentLabel: string; current: string }) {
  return (
    <nav className="breadcrumbs" aria-label="Breadcrumb">
      <a href={parentHref}>{parentLabel}</a>
      <Icon name="chevronRight" size={12} />
      <span aria-current="page">{current}</span>
    </nav>
  );
}

/** The window title shows `name — Flowsight` while a detail page is open (and loaded). */
export function useDocumentTitle(name: string | undefined) {
  useEffect(() => {
    if (name !== undefined) document.title = `${name} — Flowsight`;
    return () => {
      document.title = 'Flowsight';
    };
  }, [name]);
}

/** What a detail page shows before its data is there: the load error with Retry, or a skeleton. */
export function DetailPending({ failed, error, onRetry, loadingLabel }: { failed: boolean; error: ReactNode; onRetry(): void; loadingLabel: string }) {
  return failed ? <RetryNotice onRetry={onRetry}>{error}</RetryNotice> : <div className="skeleton-block tall" aria-busy="true" aria-label={loadingLabel} />;
}
