import type { ReactNode } from "react";

type Breakpoint = "sm" | "md" | "lg" | "xl";

// Whole class names, so Tailwind's scanner finds them.
const SHOWN_FROM: Record<Breakpoint, string> = {
  sm: "hidden sm:table-cell",
  md: "hidden md:table-cell",
  lg: "hidden lg:table-cell",
  xl: "hidden xl:table-cell",
};

export interface HeadColumn {
  key: string;
  label: ReactNode;
  align?: "left" | "right";
  /** Hidden on narrow screens, shown from this breakpoint up. */
  shownFrom?: Breakpoint;
  className?: string;
  /** Set on the column the rows are ordered by. */
  sort?: "ascending" | "descending";
}

const VARIANTS = {
  /** Inside a dashboard or profile card. */
  card: { thead: undefined, row: "border-border border-b", cell: "px-2 py-2 font-medium text-muted text-xs" },
  /** The leaderboard: its own shaded band. */
  board: {
    thead: "border-border border-b bg-surface-2",
    row: undefined,
    cell: "px-2 py-2 font-medium text-muted text-xs uppercase tracking-wide sm:px-3",
  },
} as const;

/** The header row of the app's data tables. */
export function TableHead({ columns, variant = "card" }: { columns: HeadColumn[]; variant?: keyof typeof VARIANTS }) {
  const style = VARIANTS[variant];
  return (
    <thead className={style.thead}>
      <tr className={style.row}>
        {columns.map((column) => (
          <th
            key={column.key}
            scope="col"
            aria-sort={column.sort}
            className={[
              style.cell,
              column.align === "right" ? "text-right" : "text-left",
              column.shownFrom ? SHOWN_FROM[column.shownFrom] : "",
              column.className ?? "",
            ]
              .filter(Boolean)
              .join(" ")}
          >
            {column.label}
          </th>
        ))}
      </tr>
    </thead>
  );
}
