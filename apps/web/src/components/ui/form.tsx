import type { InputHTMLAttributes, ReactNode } from "react";

export function Field({
  label,
  hint,
  id,
  ...input
}: { label: string; hint?: string; id: string } & InputHTMLAttributes<HTMLInputElement>) {
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block font-medium text-sm">
        {label}
      </label>
      <input
        id={id}
        aria-describedby={hint ? `${id}-hint` : undefined}
        className="w-full rounded-md border border-border bg-bg px-3 py-2 text-sm outline-none focus:border-accent focus:ring-2 focus:ring-accent/30"
        {...input}
      />
      {hint ? (
        <p id={`${id}-hint`} className="text-muted text-xs">
          {hint}
        </p>
      ) : null}
    </div>
  );
}

export function Button({
  children,
  variant = "primary",
  ...props
}: {
  children: ReactNode;
  variant?: "primary" | "secondary" | "danger";
} & React.ButtonHTMLAttributes<HTMLButtonElement>) {
  const styles = {
    primary: "bg-accent text-accent-fg hover:opacity-90",
    secondary: "border border-border bg-surface hover:bg-surface-2",
    danger: "bg-bad text-white hover:opacity-90",
  }[variant];
  return (
    <button
      type="button"
      className={`inline-flex items-center justify-center gap-2 rounded-md px-4 py-2 font-medium text-sm disabled:cursor-not-allowed disabled:opacity-60 ${styles}`}
      {...props}
    >
      {children}
    </button>
  );
}

export function Alert({ children, tone = "bad" }: { children: ReactNode; tone?: "bad" | "good" }) {
  return (
    <p
      role={tone === "bad" ? "alert" : "status"}
      className={`rounded-md border px-3 py-2 text-sm ${tone === "bad" ? "border-bad/40 text-bad" : "border-good/40 text-good"}`}
    >
      {children}
    </p>
  );
}
