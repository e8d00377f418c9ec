import type { ReactNode } from "react";

export function AuthShell({ title, subtitle, children }: { title: string; subtitle: string; children: ReactNode }) {
  return (
    <div className="mx-auto w-full max-w-md py-6 sm:py-12">
      <div className="rounded-2xl border border-border bg-surface p-6 shadow-sm sm:p-8">
        <h1 className="font-bold text-2xl tracking-tight">{title}</h1>
        <p className="mt-1 mb-6 text-muted text-sm">{subtitle}</p>
        {children}
      </div>
    </div>
  );
}
