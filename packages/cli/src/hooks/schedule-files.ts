import type { SelfCommand } from "../runtime";
import { quoteArgument } from "./hook-command";

export const SCHEDULE_NAME = "modu-arena-sync";
export const CRON_MARKER = "# modu-arena-sync";
export const LAUNCHD_LABEL = "dev.modu-arena.sync";
export const INTERVAL_MINUTES = 15;

export function getSyncArgv(self: SelfCommand): string[] {
  return [self.node, self.script, "sync", "--from-schedule"];
}

export function renderSystemdService(self: SelfCommand): string {
  const command = getSyncArgv(self)
    .map((part) => `"${part.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`)
    .join(" ");
  return `# Installed by modu-arena; removed by \`modu-arena uninstall\`.
[Unit]
Description=Modu-Arena: upload AI coding tool usage

[Service]
Type=oneshot
ExecStart=${command}
`;
}

export function renderSystemdTimer(): string {
  return `# Installed by modu-arena; removed by \`modu-arena uninstall\`.
[Unit]
Description=Modu-Arena: sync every ${INTERVAL_MINUTES} minutes

[Timer]
OnBootSec=5min
OnUnitActiveSec=${INTERVAL_MINUTES}min
Persistent=true

[Install]
WantedBy=timers.target
`;
}

export function renderCronLine(self: SelfCommand): string {
  const command = getSyncArgv(self)
    .map((part) => quoteArgument(part, "linux"))
    .join(" ");
  return `*/${INTERVAL_MINUTES} * * * * ${command} >/dev/null 2>&1 ${CRON_MARKER}`;
}

function escapeXml(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

export function renderLaunchdPlist(self: SelfCommand): string {
  const args = getSyncArgv(self)
    .map((part) => `    <string>${escapeXml(part)}</string>`)
    .join("\n");
  return `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
  <key>Label</key>
  <string>${LAUNCHD_LABEL}</string>
  <key>ProgramArguments</key>
  <array>
${args}
  </array>
  <key>StartInterval</key>
  <integer>${INTERVAL_MINUTES * 60}</integer>
  <key>RunAtLoad</key>
  <true/>
</dict>
</plist>
`;
}

export function renderWindowsTaskCommand(self: SelfCommand): string {
  return getSyncArgv(self)
    .map((part) => quoteArgument(part, "win32"))
    .join(" ");
}
