-- The six supported tools are reference data: every database has them, seeded or not.
INSERT INTO "tool_types" ("id", "name", "display_name", "color", "sort_order") VALUES
  ('claude-code', 'claude_code', 'Claude Code', '#D97757', 1),
  ('claude-desktop', 'claude_desktop', 'Claude Desktop', '#C15F3C', 2),
  ('opencode', 'opencode', 'OpenCode', '#4F46E5', 3),
  ('gemini', 'gemini_cli', 'Gemini CLI', '#4285F4', 4),
  ('codex', 'codex_cli', 'Codex CLI', '#10A37F', 5),
  ('crush', 'crush', 'Crush', '#EC4899', 6)
ON CONFLICT ("id") DO NOTHING;
