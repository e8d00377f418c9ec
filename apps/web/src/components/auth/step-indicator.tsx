export function StepIndicator({ steps, current }: { steps: string[]; current: number }) {
  return (
    <ol className="flex items-center gap-2 text-xs">
      {steps.map((label, index) => {
        const state = index < current ? "done" : index === current ? "current" : "todo";
        return (
          <li
            key={label}
            className="flex flex-1 items-center gap-2"
            aria-current={state === "current" ? "step" : undefined}
          >
            <span
              className={`grid size-6 shrink-0 place-items-center rounded-full font-semibold ${
                state === "todo" ? "bg-surface-2 text-muted" : "bg-accent text-accent-fg"
              }`}
            >
              {state === "done" ? "✓" : index + 1}
            </span>
            <span className={state === "todo" ? "text-muted" : "font-medium"}>{label}</span>
          </li>
        );
      })}
    </ol>
  );
}
