/** A small stroke icon set (16 px grid, currentColor). Decorative: hidden from assistive tech. */
import type { ReactElement } from 'react';

const PATHS = {
  database: (
    <>
      <ellipse cx="8" cy="3.5" rx="5.5" ry="2" />
      <path d="M2.5 3.5v9c0 1.1 2.5 2 5.5 2s5.5-.9 5.5-2v-9" />
      <path d="M2.5 8c0 1.1 2.5 2 5.5 2s5.5-.9 5.5-2" />
    </>
  ),
  import: (
    <>
      <path d="M8 2v8" />
      <path d="M4.5 6.5 8 10l3.5-3.5" />
      <path d="M2.5 11v2.5h11V11" />
    </>
  ),
  flask: (
    <>
      <path d="M6 1.8h4" />
      <path d="M6.6 1.8v4.4L2.9 12.6a1.1 1.1 0 0 0 1 1.6h8.2a1.1 1.1 0 0 0 1-1.6L9.4 6.2V1.8" />
      <path d="M4.6 9.8h6.8" />
    </>
  ),
  sun: (
    <>
      <circle cx="8" cy="8" r="2.8" />
      <path d="M8 1v1.6M8 13.4V15M1 8h1.6M13.4 8H15M3 3l1.1 1.1M11.9 11.9 13 13M3 13l1.1-1.1M11.9 4.1 13 3" />
    </>
  ),
  moon: <path d="M13.5 9.6A5.6 5.6 0 0 1 6.4 2.5a5.6 5.6 0 1 0 7.1 7.1Z" />,
  workspace: (
    <>
      <rect x="2" y="2.5" width="12" height="11" rx="1.5" />
      <path d="M2 6h12M5 9h3M5 11h5" />
    </>
  ),
  close: <path d="M4 4l8 8M12 4l-8 8" />,
  pulse: <path d="M1.5 8.5h3l1.8-4.5 3 9 1.9-4.5h3.3" />,
  trash: (
    <>
      <path d="M2.5 4h11M6.5 4V2.5h3V4" />
      <path d="M3.8 4l.7 9.5h7l.7-9.5" />
      <path d="M6.6 6.5v4.5M9.4 6.5v4.5" />
    </>
  ),
  pencil: (
    <>
      <path d="M10.8 2.5 13.5 5.2 5.5 13.2H2.8v-2.7z" />
      <path d="M9.3 4l2.7 2.7" />
    </>
  ),
  chevronLeft: <path d="M10 3 5 8l5 5" />,
  chevronRight: <path d="M6 3l5 5-5 5" />,
  chevronsLeft: <path d="M8 3 3 8l5 5M13 3 8 8l5 5" />,
  chevronsRight: <path d="M3 3l5 5-5 5M8 3l5 5-5 5" />,
  search: (
    <>
      <circle cx="7" cy="7" r="4.3" />
      <path d="M10.2 10.2 14 14" />
    </>
  ),
  alert: (
    <>
      <path d="M8 1.8 14.6 13.5H1.4z" />
      <path d="M8 6v3.6M8 11.4v.2" />
    </>
  ),
  error: (
    <>
      <circle cx="8" cy="8" r="6.3" />
      <path d="M8 4.6v4.2M8 11v.2" />
    </>
  ),
  check: <path d="M3 8.5 6.5 12 13 4.5" />,
  info: (
    <>
      <circle cx="8" cy="8" r="6.3" />
      <path d="M8 7.2v4.2M8 4.8v.2" />
    </>
  ),
  file: (
    <>
      <path d="M4 1.8h5l3.5 3.5v8.9H4z" />
      <path d="M9 1.8v3.5h3.5" />
    </>
  ),
  folder: <path d="M1.8 3.5h4.3l1.5 1.7h6.6v7.8H1.8z" />,
  arrowUp: <path d="M8 13V3M4 7l4-4 4 4" />,
  arrowDown: <path d="M8 3v10M4 9l4 4 4-4" />,
  sortable: <path d="M5 6l3-3 3 3M5 10l3 3 3-3" />,
  copy: (
    <>
      <rect x="5" y="5" width="8.5" height="8.5" rx="1.2" />
      <path d="M3 10.5H2.5v-8h8V3" />
    </>
  ),
  refresh: (
    <>
      <path d="M13.2 6.5A5.3 5.3 0 0 0 3.3 5" />
      <path d="M2.8 2.2V5.2h3" />
      <path d="M2.8 9.5a5.3 5.3 0 0 0 9.9 1.5" />
      <path d="M13.2 13.8v-3h-3" />
    </>
  ),
  plug: (
    <>
      <path d="M5.5 1.8v3M10.5 1.8v3" />
      <path d="M3.5 4.8h9v2.7a4.5 4.5 0 0 1-9 0z" />
      <path d="M8 12v2.2" />
    </>
  ),
  /** Train: a target with a spark */
  train: (
    <>
      <circle cx="7" cy="9" r="5" />
      <circle cx="7" cy="9" r="2" />
      <path d="M7 9l6-6M10.5 3H13v2.5" />
    </>
  ),
  /** Models: stacked layers */
  models: (
    <>
      <path d="M8 1.8 14.2 5 8 8.2 1.8 5z" />
      <path d="M1.8 8 8 11.2 14.2 8" />
      <path d="M1.8 11 8 14.2 14.2 11" />
    </>
  ),
  play: <path d="M4.5 2.8v10.4L13 8z" />,
  stop: <rect x="3.5" y="3.5" width="9" height="9" rx="1.2" />,
  chart: (
    <>
      <path d="M2 2v12h12" />
      <path d="M4.5 10.5 7.5 7l2.5 2.5L14 4.5" />
    </>
  ),
  clock: (
    <>
      <circle cx="8" cy="8" r="6.3" />
      <path d="M8 4.5V8l2.5 1.6" />
    </>
  ),
  external: (
    <>
      <path d="M9 2.5h4.5V7" />
      <path d="M13.5 2.5 7.5 8.5" />
      <path d="M11.5 9.5v4h-9v-9h4" />
    </>
  ),
} satisfies Record<string, ReactElement>;

export type IconName = keyof typeof PATHS;

export function Icon({ name, size = 16, className }: { name: IconName; size?: number; className?: string }) {
  return (
    <svg
      className={className ? `icon ${className}` : 'icon'}
      width={size}
      height={size}
      viewBox="0 0 16 16"
      fill="none"
      stroke="currentColor"
      strokeWidth={1.4}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      {PATHS[name]}
    </svg>
  );
}
