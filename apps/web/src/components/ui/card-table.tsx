import type { ReactNode } from "react";
import { Card } from "./card";
import { type HeadColumn, TableHead } from "./table-head";

/** A card holding a scrollable data table, or one line saying there is nothing to show yet. */
export function CardTable({
  title,
  testId,
  columns,
  empty,
  children,
}: {
  title: string;
  testId: string;
  columns: HeadColumn[];
  /** Shown instead of the table when set. */
  empty: string | null;
  /** The body rows. */
  children: ReactNode;
}) {
  return (
    <Card title={title} testId={testId}>
      {empty !== null ? (
        <p className="text-muted text-sm">{empty}</p>
      ) : (
        <div className="-mx-2 overflow-x-auto">
          <table className="w-full text-sm">
            <TableHead columns={columns} />
            <tbody className="tabular">{children}</tbody>
          </table>
        </div>
      )}
    </Card>
  );
}
