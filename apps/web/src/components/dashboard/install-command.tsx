"use client";

import { formatInstallCommand } from "@modu-arena/core/cli-release";
import { useTranslations } from "next-intl";
import { useEffect, useState } from "react";
import { CopyButton } from "@/components/ui/copy-button";
import { takeFreshApiKey } from "@/lib/fresh-api-key";

interface Props {
  serverUrl: string;
  cliVersion: string;
  /** The user's own key when it was just issued on this page; else `placeholder` stands in the line. */
  apiKey?: string;
  placeholder: string;
}

/** The exact line that installs this server's own CLI (fetched from the server, not a registry) and connects it. */
export function InstallCommand({ serverUrl, cliVersion, apiKey, placeholder }: Props) {
  const t = useTranslations("dashboard");
  const [freshKey, setFreshKey] = useState<string | undefined>(undefined);
  // A key issued at sign-up a moment ago, shown in the dashboard's line this once.
  useEffect(() => {
    if (apiKey) return;
    const taken = takeFreshApiKey();
    if (taken) setFreshKey(taken);
  }, [apiKey]);
  const key = apiKey ?? freshKey;
  const command = formatInstallCommand(serverUrl, cliVersion, key ?? placeholder);
  return (
    <div className="space-y-2">
      <div className="flex items-start gap-2">
        <pre
          className="min-w-0 flex-1 overflow-x-auto rounded-md bg-surface-2 px-3 py-2 font-mono text-xs"
          data-testid="install-command"
        >
          <code>{command}</code>
        </pre>
        <CopyButton text={command} />
      </div>
      {freshKey ? <p className="text-muted text-xs">{t("installWithKey")}</p> : null}
    </div>
  );
}
