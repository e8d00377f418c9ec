import type { ReactNode } from "react";

export function Section({
  title,
  hint,
  children,
  testId,
}: {
  title: string;
  hint?: string;
  children: ReactNode;
  testId?: string;
}) {
  return (
    <section
      className="grid gap-4 rounded-xl border border-border bg-surface p-4 sm:p-6 md:grid-cols-3"
      data-testid={testId}
    >
      <div>
        <h2 className="font-semibold">{title}</h2>
        {hint ? <p className="mt-1 text-muted text-sm">{hint}</p> : null}
      </div>
      <div className="min-w-0 space-y-3 md:col-span-2">{children}</div>
    </section>
  );
}
