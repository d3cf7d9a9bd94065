/**
 * Icons for the model pages, in the same 16 px stroke style as Icon.tsx (kept apart so that file
 * stays as it is). Decorative: hidden from assistive tech.
 */
import type { ReactElement } from 'react';

const PATHS = {
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

export type ExtraIconName = keyof typeof PATHS;

export function IconExtra({ name, size = 16, className }: { name: ExtraIconName; size?: number; className?: string }) {
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
