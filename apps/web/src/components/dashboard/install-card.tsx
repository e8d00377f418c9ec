import { getTranslations } from "next-intl/server";
import { Card } from "@/components/ui/card";
import { CopyButton } from "@/components/ui/copy-button";
import { Link } from "@/i18n/navigation";

/** The one command line that connects this user's machine to this server. */
export async function InstallCard({ serverUrl, keyPrefix }: { serverUrl: string; keyPrefix: string | null }) {
  const t = await getTranslations("dashboard");
  const key = keyPrefix ? "<your-api-key>" : "<api-key>";
  const command = `npx @modu-arena/cli install --api-key ${key} --server ${serverUrl}`;
  return (
    <Card title={t("install")} subtitle={t("installHint")} testId="install-card">
      <div className="flex items-start gap-2">
        <pre
          className="min-w-0 flex-1 overflow-x-auto rounded-md bg-surface-2 px-3 py-2 font-mono text-xs"
          data-testid="install-command"
        >
          <code>{command}</code>
        </pre>
        <CopyButton text={command} />
      </div>
      {keyPrefix ? null : (
        <p className="mt-2 text-muted text-sm">
          {t("installNoKey")}{" "}
          <Link href="/settings" className="text-accent hover:underline">
            {t("settingsLink")}
          </Link>
        </p>
      )}
    </Card>
  );
}
