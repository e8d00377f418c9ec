"use client";

import { useFormatter, useTranslations } from "next-intl";
import { useState } from "react";
import { Alert, Button } from "@/components/ui/form";
import { useRouter } from "@/i18n/navigation";
import { callApi } from "@/lib/api-client";
import { ConfirmDialog } from "./confirm-dialog";
import { KeyReveal } from "./key-reveal";
import { useAction } from "./use-action";

interface KeyInfo {
  prefix: string;
  createdAt: string | null;
}

export function ApiKeySection({ initial }: { initial: KeyInfo | null }) {
  const t = useTranslations("settings");
  const format = useFormatter();
  const router = useRouter();
  const [key, setKey] = useState<KeyInfo | null>(initial);
  const [revealed, setRevealed] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const { busy, error, run } = useAction();
  const generate = () =>
    void run(async () => {
      const created = await callApi<{ apiKey: string; prefix: string }>("/api/me/api-key", {
        method: "POST",
        body: {},
      });
      setRevealed(created.apiKey);
      setKey({ prefix: created.prefix, createdAt: new Date().toISOString() });
      router.refresh();
    });
  const revoke = () =>
    void run(async () => {
      await callApi("/api/me/api-key", { method: "DELETE" });
      setConfirming(false);
      setRevealed(null);
      setKey(null);
      router.refresh();
    });
  return (
    <div className="space-y-3" data-testid="api-key-section">
      {key ? (
        <p className="text-sm" data-testid="api-key-prefix">
          <code className="rounded bg-surface-2 px-1.5 py-0.5 font-mono text-xs">
            {t("keyPrefix", { prefix: key.prefix })}
          </code>
          {key.createdAt ? (
            <span className="ml-2 text-muted text-xs">
              {t("keyCreated", { date: format.dateTime(new Date(key.createdAt), { dateStyle: "medium" }) })}
            </span>
          ) : null}
        </p>
      ) : (
        <p className="text-muted text-sm">{t("noKey")}</p>
      )}
      {revealed ? <KeyReveal apiKey={revealed} /> : null}
      {error ? <Alert>{error}</Alert> : null}
      <div className="flex flex-wrap gap-2">
        <Button onClick={generate} disabled={busy} data-testid="generate-key">
          {key ? t("rotate") : t("generate")}
        </Button>
        {key ? (
          <ConfirmDialog
            open={confirming}
            onOpenChange={setConfirming}
            title={t("revoke")}
            description={t("revokeConfirm")}
            confirmLabel={t("revoke")}
            onConfirm={revoke}
            disabled={busy}
            trigger={
              <Button variant="secondary" data-testid="revoke-key">
                {t("revoke")}
              </Button>
            }
          />
        ) : null}
      </div>
    </div>
  );
}
