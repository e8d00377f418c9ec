CREATE TABLE "daily_user_stats" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"stat_date" date NOT NULL,
	"input_tokens" bigint DEFAULT 0 NOT NULL,
	"output_tokens" bigint DEFAULT 0 NOT NULL,
	"cache_creation_tokens" bigint DEFAULT 0 NOT NULL,
	"cache_read_tokens" bigint DEFAULT 0 NOT NULL,
	"cache_tokens" bigint DEFAULT 0 NOT NULL,
	"total_tokens" bigint DEFAULT 0 NOT NULL,
	"session_count" integer DEFAULT 0 NOT NULL,
	"by_tool" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"by_model" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "email_verifications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"email" varchar(254) NOT NULL,
	"code" varchar(128) NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used" boolean DEFAULT false NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "project_evaluations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"project_path_hash" varchar(128) NOT NULL,
	"project_name" varchar(128) NOT NULL,
	"local_score" integer DEFAULT 0 NOT NULL,
	"backend_score" integer DEFAULT 0 NOT NULL,
	"penalty_score" integer DEFAULT 0 NOT NULL,
	"final_score" integer DEFAULT 0 NOT NULL,
	"cumulative_score_after" integer DEFAULT 0 NOT NULL,
	"llm_model" varchar(128),
	"llm_provider" varchar(64),
	"passed" boolean DEFAULT false NOT NULL,
	"feedback" text,
	"details" jsonb,
	"evaluated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rankings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"period_type" varchar(16) NOT NULL,
	"period_start" date NOT NULL,
	"rank_position" integer NOT NULL,
	"total_tokens" bigint DEFAULT 0 NOT NULL,
	"input_tokens" bigint DEFAULT 0 NOT NULL,
	"output_tokens" bigint DEFAULT 0 NOT NULL,
	"composite_score" numeric(10, 2) NOT NULL,
	"session_count" integer DEFAULT 0 NOT NULL,
	"efficiency_score" numeric(6, 4) DEFAULT 0 NOT NULL,
	"streak_days" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "security_audit_log" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid,
	"event_type" varchar(48) NOT NULL,
	"ip_address" varchar(64),
	"user_agent" text,
	"details" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"tool_type_id" varchar(32) NOT NULL,
	"session_hash" varchar(256) NOT NULL,
	"anonymous_project_id" varchar(128),
	"started_at" timestamp with time zone,
	"ended_at" timestamp with time zone NOT NULL,
	"duration_seconds" integer,
	"model_name" varchar(128),
	"turn_count" integer,
	"tool_usage" jsonb,
	"code_metrics" jsonb,
	"input_tokens" bigint DEFAULT 0 NOT NULL,
	"output_tokens" bigint DEFAULT 0 NOT NULL,
	"cache_creation_tokens" bigint DEFAULT 0 NOT NULL,
	"cache_read_tokens" bigint DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "token_usage" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"session_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"tool_type_id" varchar(32) NOT NULL,
	"model_name" varchar(128),
	"input_tokens" bigint DEFAULT 0 NOT NULL,
	"output_tokens" bigint DEFAULT 0 NOT NULL,
	"cache_creation_tokens" bigint DEFAULT 0 NOT NULL,
	"cache_read_tokens" bigint DEFAULT 0 NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tool_types" (
	"id" varchar(32) PRIMARY KEY NOT NULL,
	"name" varchar(64) NOT NULL,
	"display_name" varchar(64) NOT NULL,
	"icon_url" text,
	"color" varchar(16),
	"is_active" boolean DEFAULT true NOT NULL,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "user_stats" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"total_input_tokens" bigint DEFAULT 0 NOT NULL,
	"total_output_tokens" bigint DEFAULT 0 NOT NULL,
	"total_cache_creation_tokens" bigint DEFAULT 0 NOT NULL,
	"total_cache_read_tokens" bigint DEFAULT 0 NOT NULL,
	"total_cache_tokens" bigint DEFAULT 0 NOT NULL,
	"total_all_tokens" bigint DEFAULT 0 NOT NULL,
	"tokens_by_tool" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"total_sessions" integer DEFAULT 0 NOT NULL,
	"sessions_by_tool" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"successful_projects_count" integer DEFAULT 0 NOT NULL,
	"total_evaluations" integer DEFAULT 0 NOT NULL,
	"last_activity_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"username" varchar(39) NOT NULL,
	"password_hash" varchar(255),
	"github_id" varchar(64),
	"github_username" varchar(64),
	"github_avatar_url" text,
	"display_name" varchar(64),
	"email" varchar(254),
	"api_key_hash" varchar(64),
	"api_key_prefix" varchar(32),
	"api_key_created_at" timestamp with time zone,
	"user_salt" varchar(64) NOT NULL,
	"privacy_mode" boolean DEFAULT false NOT NULL,
	"timezone" varchar(64) DEFAULT 'UTC' NOT NULL,
	"locale" varchar(8),
	"successful_projects_count" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "daily_user_stats" ADD CONSTRAINT "daily_user_stats_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "project_evaluations" ADD CONSTRAINT "project_evaluations_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rankings" ADD CONSTRAINT "rankings_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "security_audit_log" ADD CONSTRAINT "security_audit_log_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_tool_type_id_tool_types_id_fk" FOREIGN KEY ("tool_type_id") REFERENCES "public"."tool_types"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "token_usage" ADD CONSTRAINT "token_usage_session_id_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "token_usage" ADD CONSTRAINT "token_usage_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "token_usage" ADD CONSTRAINT "token_usage_tool_type_id_tool_types_id_fk" FOREIGN KEY ("tool_type_id") REFERENCES "public"."tool_types"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_stats" ADD CONSTRAINT "user_stats_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "daily_user_stats_user_date_idx" ON "daily_user_stats" USING btree ("user_id","stat_date");--> statement-breakpoint
CREATE INDEX "daily_user_stats_date_idx" ON "daily_user_stats" USING btree ("stat_date");--> statement-breakpoint
CREATE INDEX "email_verifications_email_idx" ON "email_verifications" USING btree ("email","created_at");--> statement-breakpoint
CREATE INDEX "project_evaluations_user_idx" ON "project_evaluations" USING btree ("user_id","evaluated_at");--> statement-breakpoint
CREATE UNIQUE INDEX "rankings_period_user_idx" ON "rankings" USING btree ("period_type","period_start","user_id");--> statement-breakpoint
CREATE INDEX "rankings_period_position_idx" ON "rankings" USING btree ("period_type","period_start","rank_position");--> statement-breakpoint
CREATE INDEX "rankings_user_idx" ON "rankings" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "security_audit_log_user_idx" ON "security_audit_log" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "security_audit_log_type_idx" ON "security_audit_log" USING btree ("event_type","created_at");--> statement-breakpoint
CREATE INDEX "security_audit_log_created_idx" ON "security_audit_log" USING btree ("created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "sessions_user_tool_hash_idx" ON "sessions" USING btree ("user_id","tool_type_id","session_hash");--> statement-breakpoint
CREATE INDEX "sessions_user_ended_idx" ON "sessions" USING btree ("user_id","ended_at");--> statement-breakpoint
CREATE INDEX "sessions_ended_idx" ON "sessions" USING btree ("ended_at");--> statement-breakpoint
CREATE INDEX "token_usage_user_recorded_idx" ON "token_usage" USING btree ("user_id","recorded_at");--> statement-breakpoint
CREATE INDEX "token_usage_session_idx" ON "token_usage" USING btree ("session_id");--> statement-breakpoint
CREATE INDEX "token_usage_recorded_idx" ON "token_usage" USING btree ("recorded_at");--> statement-breakpoint
CREATE UNIQUE INDEX "users_username_lower_idx" ON "users" USING btree (lower("username"));--> statement-breakpoint
CREATE UNIQUE INDEX "users_email_lower_idx" ON "users" USING btree (lower("email"));--> statement-breakpoint
CREATE UNIQUE INDEX "users_api_key_hash_idx" ON "users" USING btree ("api_key_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "users_github_id_idx" ON "users" USING btree ("github_id");--> statement-breakpoint
CREATE INDEX "users_privacy_idx" ON "users" USING btree ("privacy_mode");