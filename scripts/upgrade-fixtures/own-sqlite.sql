-- made by meiduo at 5d9603e with scripts/upgrade-test --make
-- link: eyJhbGciOiJIUzUxMiIsImlhdCI6MTc5NjQ4MjgyMCwiZXhwIjoyMTExODQyODIwfQ.eyJ1c2VyX2lkIjoxLCJlbWFpbCI6ImFsaWNlQGV4YW1wbGUuY29tIn0.Ksn0Y5K8hO7LTyjhvSRSI_DX8AXfoc5Z_GARrHq_PCITJ2YLu3Id8y1-SpE87kKZ_x9wKb5GbF7m5dqJ_geLew
BEGIN TRANSACTION;
CREATE TABLE "_fluent_migrations" ("id" UUID PRIMARY KEY, "name" TEXT NOT NULL, "batch" INTEGER NOT NULL, "created_at" REAL, "updated_at" REAL, CONSTRAINT "uq:_fluent_migrations.name" UNIQUE ("name"));
INSERT INTO "_fluent_migrations" VALUES('B894A24A-D8F4-4243-833F-64B75EF14859','App.CreateUser',1,1.7964828199619579315e+09,1.7964828199619579315e+09);
INSERT INTO "_fluent_migrations" VALUES('CBAAC7A7-3C79-4EB4-B3AA-530B974A3912','App.CreateJobs',1,1.79648281996633958816e+09,1.79648281996633958816e+09);
INSERT INTO "_fluent_migrations" VALUES('AE876903-695F-43BB-BA5C-2679898F3B0C','App.OrderClaimIndex',1,1.7964828199676318169e+09,1.7964828199676318169e+09);
INSERT INTO "_fluent_migrations" VALUES('32681869-E4DE-445A-812F-60C61B07A0DF','App.CreateRateLimits',1,1.79648281996804857251e+09,1.79648281996804857251e+09);
INSERT INTO "_fluent_migrations" VALUES('A9465767-4990-48C1-B370-3B623AE44BFD','App.CreateJobLeaders',1,1.79648281996836733822e+09,1.79648281996836733822e+09);
INSERT INTO "_fluent_migrations" VALUES('9E5A59D6-6BE6-4186-B934-53BBFB504134','App.CreateVerificationRecipients',1,1.79648281996910762787e+09,1.79648281996910762787e+09);
INSERT INTO "_fluent_migrations" VALUES('0E18417C-E16C-47DD-9F0E-2001656EA95A','App.CreateVerificationCodes',1,1.79648281996992516514e+09,1.79648281996992516514e+09);
INSERT INTO "_fluent_migrations" VALUES('316ECDBD-A5A6-4526-BA6F-716E76D8E9DE','App.CreateRevertsUsed',1,1.79648281997084617611e+09,1.79648281997084617611e+09);
INSERT INTO "_fluent_migrations" VALUES('54B554AD-63C1-44F6-B66D-C574E03160EF','App.CreateDeliveryTables',1,1.79648281997296643255e+09,1.79648281997296643255e+09);
CREATE TABLE "bounce_reports" ("id" INTEGER PRIMARY KEY, "received_at" INTEGER NOT NULL, "recipient" TEXT NOT NULL, "job_id" INTEGER, "outcome" TEXT NOT NULL, "size" INTEGER NOT NULL, "raw" BLOB NOT NULL);
CREATE TABLE "job_leaders" ("name" TEXT PRIMARY KEY, "holder" TEXT NOT NULL, "expires_at" INTEGER NOT NULL);
CREATE TABLE "jobs" ("id" INTEGER PRIMARY KEY, "queue" TEXT NOT NULL, "kind" TEXT NOT NULL, "payload" TEXT NOT NULL, "state" TEXT NOT NULL, "attempt" INTEGER NOT NULL, "max_attempts" INTEGER NOT NULL, "run_at" INTEGER NOT NULL, "locked_by" TEXT, "locked_until" INTEGER, "last_error" TEXT, "unique_key" TEXT, "created_at" INTEGER NOT NULL, "finished_at" INTEGER);
INSERT INTO "jobs" VALUES(1,'default','send_verify_email','{"user_id":1,"email":"alice@example.com","username":"alice","language":"zh-CN"}','completed',1,10,1796482820851,NULL,NULL,NULL,'verify-email:1',1796482820851,1796482820865);
CREATE TABLE "mail_deliveries" ("id" INTEGER PRIMARY KEY, "job_id" INTEGER NOT NULL, "address" TEXT NOT NULL, "kind" TEXT NOT NULL, "state" TEXT NOT NULL, "at" INTEGER NOT NULL, "detail" TEXT NOT NULL, "operator_detail" TEXT NOT NULL);
INSERT INTO "mail_deliveries" VALUES(1,1,'alice@example.com','send_verify_email','queued',1796482820852,'waiting to be sent','');
INSERT INTO "mail_deliveries" VALUES(2,1,'alice@example.com','send_verify_email','sending',1796482820857,'being sent','attempt 1 of 10');
INSERT INTO "mail_deliveries" VALUES(3,1,'alice@example.com','send_verify_email','sent',1796482820859,'accepted by the mail server; it should arrive shortly','written to verify-email.1.1796482820851@meiduo.site.eml');
CREATE TABLE "rate_limits" ("key" TEXT PRIMARY KEY, "window_start" INTEGER NOT NULL, "hits" INTEGER NOT NULL);
CREATE TABLE "reverts_used" ("token_hash" TEXT PRIMARY KEY, "used_at" INTEGER NOT NULL);
CREATE TABLE "suppressions" ("address" TEXT PRIMARY KEY, "bounced_at" INTEGER NOT NULL, "status" TEXT NOT NULL, "detail" TEXT NOT NULL, "job_id" INTEGER NOT NULL);
CREATE TABLE "users" ("id" INTEGER PRIMARY KEY, "username" TEXT NOT NULL, "password_hash" TEXT NOT NULL, "email" TEXT NOT NULL, "email_active" INTEGER NOT NULL, "created_at" REAL, "updated_at" REAL, "verification_queued_at" REAL, CONSTRAINT "uq:users.username" UNIQUE ("username"));
INSERT INTO "users" VALUES(1,'alice','$2b$12$SWRoMF2G4CSLPFMZ.IQ/LuFMsDwQ.EYQsKH/iD4tpwZGeXVmVhqa2','alice@example.com',0,1.7964828203992426395e+09,1.79648282085052251816e+09,1.79648282085052251816e+09);
CREATE TABLE "verification_codes" ("user_id" INTEGER PRIMARY KEY, "email" TEXT NOT NULL, "code_hash" TEXT NOT NULL, "expires_at" INTEGER NOT NULL, "tries" INTEGER NOT NULL);
INSERT INTO "verification_codes" VALUES(1,'alice@example.com','cb52015ec9bfb043753376ca8093b1cdcb74965618989980ec4188356f114d5a',1796484620,0);
CREATE TABLE "verification_recipients" ("address" TEXT PRIMARY KEY, "last_queued_at" INTEGER NOT NULL, "day_start" INTEGER NOT NULL, "day_count" INTEGER NOT NULL);
INSERT INTO "verification_recipients" VALUES('alice@example.com',1796482820,1796482820,1);
CREATE INDEX "jobs_claim_order" ON "jobs" (queue, state, run_at, id);
CREATE UNIQUE INDEX "jobs_unique_available" ON "jobs" (unique_key)
WHERE state = 'available' AND unique_key IS NOT NULL;
CREATE INDEX "jobs_running_lease" ON "jobs" (state, locked_until);
CREATE INDEX "mail_deliveries_address" ON "mail_deliveries" (address, id);
CREATE INDEX "mail_deliveries_job" ON "mail_deliveries" (job_id, id);
CREATE INDEX "bounce_reports_job" ON "bounce_reports" (job_id);
COMMIT;
