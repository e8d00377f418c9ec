import type { ReactNode } from "react";

export function Card({
  title,
  subtitle,
  children,
  className = "",
  testId,
}: {
  title?: string;
  subtitle?: string;
  children: ReactNode;
  className?: string;
  testId?: string;
}) {
  return (
    <section
      className={`min-w-0 rounded-xl border border-border bg-surface p-4 sm:p-5 ${className}`}
      data-testid={testId}
    >
      {title ? (
        <header className="mb-3">
          <h2 className="font-semibold text-base">{title}</h2>
          {subtitle ? <p className="text-muted text-xs">{subtitle}</p> : null}
        </header>
      ) : null}
      {children}
    </section>
  );
}

export function Stat({ label, value, hint }: { label: string; value: ReactNode; hint?: ReactNode }) {
  return (
    <div className="min-w-0 rounded-xl border border-border bg-surface p-3 sm:p-4">
      <div className="truncate text-muted text-xs">{label}</div>
      <div className="tabular mt-1 truncate font-semibold text-xl sm:text-2xl">{value}</div>
      {hint ? <div className="mt-0.5 truncate text-muted text-xs">{hint}</div> : null}
    </div>
  );
}
