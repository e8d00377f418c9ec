import { getTranslations } from "next-intl/server";
import { Card } from "@/components/ui/card";
import { Link } from "@/i18n/navigation";
import { InstallCommand } from "./install-command";

/** The one command line that installs this server's CLI on the user's machine and connects it to this server. */
export async function InstallCard({
  serverUrl,
  cliVersion,
  keyPrefix,
}: {
  serverUrl: string;
  /** The CLI version this server hands out; null when none is packed. */
  cliVersion: string | null;
  keyPrefix: string | null;
}) {
  const t = await getTranslations("dashboard");
  return (
    <Card title={t("install")} subtitle={t("installHint")} testId="install-card">
      {cliVersion ? (
        <InstallCommand
          serverUrl={serverUrl}
          cliVersion={cliVersion}
          placeholder={keyPrefix ? "<your-api-key>" : "<api-key>"}
        />
      ) : (
        <p className="text-muted text-sm" data-testid="install-no-package">
          {t("installNoPackage")}
        </p>
      )}
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
