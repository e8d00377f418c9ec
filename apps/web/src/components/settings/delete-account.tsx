"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import { Alert, Button, Field } from "@/components/ui/form";
import { useRouter } from "@/i18n/navigation";
import { callApi } from "@/lib/api-client";
import { ConfirmDialog } from "./confirm-dialog";
import { useAction } from "./use-action";

export function DeleteAccount({ username, hasPassword }: { username: string; hasPassword: boolean }) {
  const t = useTranslations("settings");
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [value, setValue] = useState("");
  const { busy, error, run } = useAction();
  const confirm = () =>
    void run(async () => {
      await callApi("/api/me", {
        method: "DELETE",
        body: hasPassword ? { password: value } : { confirmUsername: value },
      });
      router.replace("/");
      router.refresh();
    });
  return (
    <ConfirmDialog
      open={open}
      onOpenChange={setOpen}
      title={t("danger")}
      description={t("dangerHint")}
      confirmLabel={t("deleteAccount")}
      onConfirm={confirm}
      disabled={busy || value.length === 0 || (!hasPassword && value !== username)}
      trigger={<Button variant="danger">{t("deleteAccount")}</Button>}
    >
      <Field
        id="delete-confirm"
        label={hasPassword ? t("deletePassword") : t("deleteConfirm", { username })}
        type={hasPassword ? "password" : "text"}
        value={value}
        onChange={(event) => setValue(event.target.value)}
        autoComplete={hasPassword ? "current-password" : "off"}
      />
      {error ? <Alert>{error}</Alert> : null}
    </ConfirmDialog>
  );
}
