import { getTool, isToolType } from "@modu-arena/core";
import { toolName } from "@/lib/tools";

/** One thin bar split by each tool's share of the user's tokens; the title lists the shares. */
export function ToolMixBar({ mix }: { mix: Record<string, number> }) {
  const entries = Object.entries(mix)
    .filter(([, tokens]) => tokens > 0)
    .sort((a, b) => b[1] - a[1]);
  const total = entries.reduce((sum, [, tokens]) => sum + tokens, 0);
  if (total === 0) return <span className="text-muted">—</span>;
  const label = entries.map(([tool, tokens]) => `${toolName(tool)} ${Math.round((tokens / total) * 100)}%`).join(", ");
  return (
    <div
      className="ml-auto flex h-2 w-24 overflow-hidden rounded-full bg-surface-2"
      title={label}
      role="img"
      aria-label={label}
    >
      {entries.map(([tool, tokens]) => (
        <span
          key={tool}
          style={{ width: `${(tokens / total) * 100}%`, background: isToolType(tool) ? getTool(tool).color : "#888" }}
        />
      ))}
    </div>
  );
}
