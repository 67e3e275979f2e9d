import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Initial1795617035084 implements MigrationInterface {
  name = 'Initial1795617035084';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "tenants" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "version" integer NOT NULL, "parent_id" uuid, "slug" character varying(63) NOT NULL, "name" character varying(200) NOT NULL, "settings" jsonb NOT NULL DEFAULT \'{}\', CONSTRAINT "UQ_2310ecc5cb8be427097154b18fc" UNIQUE ("slug"), CONSTRAINT "PK_53be67a04681c66b87ee27c9321" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "IDX_bb2a90ed37750405dd793f3d7f" ON "tenants"  ("parent_id") ');
    await queryRunner.query(
      'CREATE TABLE "connections" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "version" integer NOT NULL, "tenant_id" uuid NOT NULL, "connector_id" character varying(64) NOT NULL, "slug" character varying(63) NOT NULL, "name" character varying(200) NOT NULL, "direction" character varying(8) NOT NULL, "config" jsonb NOT NULL DEFAULT \'{}\', "secrets_sealed" text, "schedule" jsonb NOT NULL DEFAULT \'{}\', "scope_filter" text, "mappings" jsonb NOT NULL DEFAULT \'{}\', "owned_attributes" text array NOT NULL DEFAULT \'{}\', "deletion" jsonb NOT NULL DEFAULT \'{"graceDays": 30, "leaverAction": "disable", "thresholdCount": 50, "thresholdPercent": 10}\', "sync_state" jsonb, "webhook_secret_sealed" text, "account_scope" character varying(16) NOT NULL DEFAULT \'entitled\', "enabled" boolean NOT NULL DEFAULT true, CONSTRAINT "PK_0a1f844af3122354cbd487a8d03" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "IDX_2e37e3b97bf0ae3c7575a39fd4" ON "connections"  ("tenant_id") ');
    await queryRunner.query(
      'CREATE UNIQUE INDEX "IDX_b425ee06537f6000861a45d4a4" ON "connections"  ("tenant_id", "slug") ',
    );
    await queryRunner.query(
      'CREATE TABLE "departments" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "version" integer NOT NULL, "tenant_id" uuid NOT NULL, "source_connection_id" uuid, "external_id" character varying(255), "name" character varying(300) NOT NULL, "code" character varying(64), "parent_id" uuid, "parent_external_id" character varying(255), "cost_center" character varying(64), "manager_person_id" uuid, "status" character varying(16) NOT NULL DEFAULT \'active\', "overrides" jsonb NOT NULL DEFAULT \'{}\', "source_hash" character varying(64), "last_seen_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_839517a681a86bb84cbcc6a1e9d" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "IDX_146fd7019eea73f8ee7bbb52d4" ON "departments"  ("tenant_id") ');
    await queryRunner.query('CREATE INDEX "IDX_700b0b13f494cb37b6ca929e79" ON "departments"  ("parent_id") ');
    await queryRunner.query(
      'CREATE UNIQUE INDEX "IDX_f346808de8ea4451c53510d40c" ON "departments"  ("source_connection_id", "external_id") ',
    );
    await queryRunner.query(
      'CREATE TABLE "people" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "version" integer NOT NULL, "tenant_id" uuid NOT NULL, "source_connection_id" uuid, "external_id" character varying(255), "employee_number" character varying(64), "given_name" character varying(200), "family_name" character varying(200), "display_name" character varying(400) NOT NULL, "email" character varying(320), "phone" character varying(64), "department_id" uuid, "manager_id" uuid, "manager_external_id" character varying(255), "job_title" character varying(200), "rank" character varying(64), "grade" character varying(64), "cost_center" character varying(64), "division" character varying(200), "location" character varying(200), "status" character varying(16) NOT NULL DEFAULT \'active\', "hire_date" date, "termination_date" date, "attributes" jsonb NOT NULL DEFAULT \'{}\', "overrides" jsonb NOT NULL DEFAULT \'{}\', "source_hash" character varying(64), "last_seen_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_aa866e71353ee94c6cc51059c5b" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "IDX_bdca35930a4934831e969f201f" ON "people"  ("tenant_id") ');
    await queryRunner.query('CREATE INDEX "IDX_cf3092a5fa742815c7f2028c62" ON "people"  ("department_id") ');
    await queryRunner.query('CREATE INDEX "IDX_acb51d0935144495a95523ef99" ON "people"  ("manager_id") ');
    await queryRunner.query(
      'CREATE INDEX "IDX_737a03c7ad4b18735b50dab068" ON "people"  ("tenant_id", "status") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_7979be69980d1a298d6eaece11" ON "people"  ("tenant_id", "email") ',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "IDX_3cbb4512282a98978ed75b0ce3" ON "people"  ("tenant_id", "employee_number") WHERE employee_number IS NOT NULL',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "IDX_474a71924b5d5186c2b1f5d729" ON "people"  ("source_connection_id", "external_id") ',
    );
    await queryRunner.query(
      'CREATE TABLE "accounts" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "version" integer NOT NULL, "tenant_id" uuid NOT NULL, "connection_id" uuid NOT NULL, "person_id" uuid NOT NULL, "external_id" character varying(512), "status" character varying(16) NOT NULL DEFAULT \'active\', "state_hash" character varying(64), "last_pushed" jsonb NOT NULL DEFAULT \'{}\', "groups" text array NOT NULL DEFAULT \'{}\', "disabled_at" TIMESTAMP WITH TIME ZONE, "delete_after" TIMESTAMP WITH TIME ZONE, "last_synced_at" TIMESTAMP WITH TIME ZONE, "last_seen_in_target_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_5a7a02c20412299d198e097a8fe" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "IDX_c1cce1e0d9cc2557038a7f639d" ON "accounts"  ("tenant_id") ');
    await queryRunner.query('CREATE INDEX "IDX_cecdd107ca499a5b3279f9f2ce" ON "accounts"  ("person_id") ');
    await queryRunner.query(
      'CREATE INDEX "IDX_b698377e4ea147bf4dbaf857c9" ON "accounts"  ("connection_id", "status") ',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "IDX_5d9b3f100bd469d105e63460d5" ON "accounts"  ("connection_id", "external_id") WHERE external_id IS NOT NULL',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "IDX_1c9c18ed29db0fb2313215ce48" ON "accounts"  ("connection_id", "person_id") ',
    );
    await queryRunner.query(
      'CREATE TABLE "admin_grants" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "version" integer NOT NULL, "person_id" uuid NOT NULL, "tenant_id" uuid NOT NULL, "role" character varying(32) NOT NULL, CONSTRAINT "PK_246efaf15d91245b503f200b25e" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_7a3a97cbe77da69524f32dee5b" ON "admin_grants"  ("tenant_id") ',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "IDX_c7045964ea4ef65cd62e6d5a44" ON "admin_grants"  ("person_id", "tenant_id", "role") ',
    );
    await queryRunner.query(
      'CREATE TABLE "api_tokens" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "version" integer NOT NULL, "tenant_id" uuid NOT NULL, "name" character varying(200) NOT NULL, "token_hash" character varying(64) NOT NULL, "prefix" character varying(16) NOT NULL, "kind" character varying(16) NOT NULL, "role" character varying(32), "scopes" text array NOT NULL DEFAULT \'{}\', "connection_id" uuid, "created_by" character varying(200), "expires_at" TIMESTAMP WITH TIME ZONE, "last_used_at" TIMESTAMP WITH TIME ZONE, "revoked_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "UQ_bbd687a104e1921e6702c6e3aad" UNIQUE ("token_hash"), CONSTRAINT "PK_c587455266b5fa8dace7194caac" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "IDX_2c3be6b98e872975a45a982507" ON "api_tokens"  ("tenant_id") ');
    await queryRunner.query(
      'CREATE TABLE "applications" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "version" integer NOT NULL, "tenant_id" uuid NOT NULL, "slug" character varying(63) NOT NULL, "name" character varying(200) NOT NULL, "protocol" character varying(8) NOT NULL, "client_id" character varying(512) NOT NULL, "client_secret_sealed" text, "oidc" jsonb, "saml" jsonb, "claim_mappings" jsonb NOT NULL DEFAULT \'{}\', "launch_url" character varying(2048), "icon_url" character varying(2048), "open_to_all" boolean NOT NULL DEFAULT false, "enabled" boolean NOT NULL DEFAULT true, CONSTRAINT "UQ_19b187ccdbeb753c44a3a0be30c" UNIQUE ("client_id"), CONSTRAINT "PK_938c0a27255637bde919591888f" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_06b5376fd696c7bffaaa6109fc" ON "applications"  ("tenant_id") ',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "IDX_a075ec0351a1dfe901602fb6d9" ON "applications"  ("tenant_id", "slug") ',
    );
    await queryRunner.query(
      'CREATE TABLE "approvals" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "version" integer NOT NULL, "tenant_id" uuid NOT NULL, "run_id" uuid NOT NULL, "connection_id" uuid NOT NULL, "workflow_id" character varying(255) NOT NULL, "reason" text NOT NULL, "summary" jsonb NOT NULL DEFAULT \'{}\', "status" character varying(16) NOT NULL DEFAULT \'pending\', "decided_by" character varying(200), "decided_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_690417aaefa84d18b1a59e2a499" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "IDX_8100e1c00d4c99aa03756a9616" ON "approvals"  ("run_id") ');
    await queryRunner.query(
      'CREATE INDEX "IDX_5e2b13ca3c81105b8ca6147d56" ON "approvals"  ("tenant_id", "status") ',
    );
    await queryRunner.query(
      'CREATE TABLE "audit_events" ("id" BIGSERIAL NOT NULL, "tenant_id" uuid, "actor_type" character varying(16) NOT NULL, "actor_id" character varying(255), "actor_label" character varying(255), "action" character varying(100) NOT NULL, "target_type" character varying(50), "target_id" character varying(255), "outcome" character varying(16) NOT NULL DEFAULT \'success\', "reason" text, "before" jsonb, "after" jsonb, "ip" character varying(64), "user_agent" character varying(512), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_910f64d901a5c3e9878f0d4a407" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_41e5f5bd8ef46c5f340bcfc91f" ON "audit_events"  ("action", "created_at") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_d5de0add56627328f0ce0aba9a" ON "audit_events"  ("target_type", "target_id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_a004d14b184c19f8bc3f320d86" ON "audit_events"  ("tenant_id", "created_at") ',
    );
    await queryRunner.query(
      'CREATE TABLE "roles" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "version" integer NOT NULL, "tenant_id" uuid NOT NULL, "key" character varying(100) NOT NULL, "name" character varying(200) NOT NULL, "description" text, CONSTRAINT "PK_c1433d71a4838793a49dcad46ab" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "IDX_e59a01f4fe46ebbece575d9a0f" ON "roles"  ("tenant_id") ');
    await queryRunner.query(
      'CREATE UNIQUE INDEX "IDX_a93cb957cd57b34fdb74b1d1de" ON "roles"  ("tenant_id", "key") ',
    );
    await queryRunner.query(
      'CREATE TABLE "entitlements" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "version" integer NOT NULL, "tenant_id" uuid NOT NULL, "role_id" uuid NOT NULL, "kind" character varying(16) NOT NULL, "connection_id" uuid, "application_id" uuid, "value" character varying(300) NOT NULL DEFAULT \'\', CONSTRAINT "PK_6a45cb6f5747d49365a879bffde" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_16b23391cfaeacba6facca3d69" ON "entitlements"  ("tenant_id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_1c19f289d0eeaf508d5f2d55c8" ON "entitlements"  ("connection_id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_5e76718d3e046887c486700aaa" ON "entitlements"  ("application_id") ',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "IDX_0fe8bf6f217e3efd10efaa504a" ON "entitlements"  ("role_id", "kind", "connection_id", "application_id", "value") ',
    );
    await queryRunner.query(
      'CREATE TABLE "expiring_entries" ("namespace" character varying(64) NOT NULL, "key" character varying(512) NOT NULL, "value" jsonb NOT NULL DEFAULT \'{}\', "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_20693af2bf4702957548cee852a" PRIMARY KEY ("namespace", "key"))',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_5715b6c24c7d9b6bcbcb0cd5bb" ON "expiring_entries"  ("expires_at") ',
    );
    await queryRunner.query(
      'CREATE TABLE "groups" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "version" integer NOT NULL, "tenant_id" uuid NOT NULL, "source_connection_id" uuid, "external_id" character varying(255), "display_name" character varying(300) NOT NULL, CONSTRAINT "PK_659d1483316afb28afd3a90646e" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "IDX_245f58bdfb3e9529b4100d9c5e" ON "groups"  ("tenant_id") ');
    await queryRunner.query(
      'CREATE INDEX "IDX_4cf8a03cacb1efcf2b0c49281e" ON "groups"  ("tenant_id", "display_name") ',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "IDX_fc8c427664df16f6c6596ef094" ON "groups"  ("source_connection_id", "external_id") ',
    );
    await queryRunner.query(
      'CREATE TABLE "group_memberships" ("group_id" uuid NOT NULL, "person_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_17828a8694c53fb68ddb235b035" PRIMARY KEY ("group_id", "person_id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_88f058c7c6915d1e9bccdf0ac6" ON "group_memberships"  ("person_id") ',
    );
    await queryRunner.query(
      'CREATE TABLE "identity_providers" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "version" integer NOT NULL, "tenant_id" uuid NOT NULL, "kind" character varying(16) NOT NULL, "slug" character varying(63) NOT NULL, "name" character varying(200) NOT NULL, "config" jsonb NOT NULL DEFAULT \'{}\', "secrets_sealed" text, "link_by" character varying(32) NOT NULL DEFAULT \'verified_email\', "link_claim" character varying(200), "enabled" boolean NOT NULL DEFAULT true, "priority" integer NOT NULL DEFAULT \'100\', CONSTRAINT "PK_3ac9e77e3690c03f7f25579c8e0" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_94a7bbc0e893d99a5b316e0a6d" ON "identity_providers"  ("tenant_id") ',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "IDX_88fe8cd3dafbd6884e0417cc7f" ON "identity_providers"  ("tenant_id", "slug") ',
    );
    await queryRunner.query(
      'CREATE TABLE "identities" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "version" integer NOT NULL, "tenant_id" uuid NOT NULL, "provider_id" uuid NOT NULL, "subject" character varying(512) NOT NULL, "person_id" uuid, "email" character varying(320), "email_verified" boolean NOT NULL DEFAULT false, "last_claims" jsonb NOT NULL DEFAULT \'{}\', "last_login_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_7b2f8cccf4ac6a2d7e6e9e8b1f6" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "IDX_c6cddbe6551f9e41ccce17ceba" ON "identities"  ("tenant_id") ');
    await queryRunner.query('CREATE INDEX "IDX_a0c1afad8e0cd3ce01d06204ef" ON "identities"  ("person_id") ');
    await queryRunner.query(
      'CREATE UNIQUE INDEX "IDX_965652454d27c0e7ccd82aacbd" ON "identities"  ("provider_id", "subject") ',
    );
    await queryRunner.query(
      'CREATE TABLE "local_credentials" ("identity_id" uuid NOT NULL, "password_hash" text, "totp_secret_sealed" text, "totp_enabled" boolean NOT NULL DEFAULT false, "totp_last_step" bigint, "failed_attempts" integer NOT NULL DEFAULT \'0\', "locked_until" TIMESTAMP WITH TIME ZONE, "password_changed_at" TIMESTAMP WITH TIME ZONE, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_f474ea46addfa274adc26b23a3e" PRIMARY KEY ("identity_id"))',
    );
    await queryRunner.query(
      'CREATE TABLE "oidc_payloads" ("model" character varying(64) NOT NULL, "id" character varying(255) NOT NULL, "payload" jsonb NOT NULL, "grant_id" character varying(255), "uid" character varying(255), "user_code" character varying(255), "account_id" character varying(255), "expires_at" TIMESTAMP WITH TIME ZONE, "consumed_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_d9486974390cddb7406abddf347" PRIMARY KEY ("model", "id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_a438910609f8baa0814d94caeb" ON "oidc_payloads"  ("account_id") WHERE account_id IS NOT NULL',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_6928f796f91397db54b37754a9" ON "oidc_payloads"  ("expires_at") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_228877072ae62305db7ce53ad4" ON "oidc_payloads"  ("user_code") WHERE user_code IS NOT NULL',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_f2f67fe32117d45d6487f7c4a7" ON "oidc_payloads"  ("uid") WHERE uid IS NOT NULL',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_1bc24a149a0247f41842e12dea" ON "oidc_payloads"  ("grant_id") ',
    );
    await queryRunner.query(
      'CREATE TABLE "role_assignments" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "version" integer NOT NULL, "tenant_id" uuid NOT NULL, "role_id" uuid NOT NULL, "person_id" uuid NOT NULL, "source" character varying(8) NOT NULL, "rule_id" uuid, "reason" text, "expires_at" TIMESTAMP WITH TIME ZONE, "created_by" character varying(200), CONSTRAINT "PK_fc2df9835ac1d2a34839f113783" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_ec7115ad063dcd96860047ca2b" ON "role_assignments"  ("tenant_id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_a0268fc16c3777758f7683a440" ON "role_assignments"  ("role_id") ',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "IDX_f6a13ad5ba7ba685d7517b8d12" ON "role_assignments"  ("person_id", "role_id", "source") ',
    );
    await queryRunner.query(
      'CREATE TABLE "role_rules" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "version" integer NOT NULL, "tenant_id" uuid NOT NULL, "role_id" uuid NOT NULL, "name" character varying(200) NOT NULL, "condition" jsonb NOT NULL, "include_subsidiaries" boolean NOT NULL DEFAULT true, "enabled" boolean NOT NULL DEFAULT true, CONSTRAINT "PK_4a1d1980852b67db5b8dcbc8e6e" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "IDX_5c9adc955090769892f0a42dc7" ON "role_rules"  ("tenant_id") ');
    await queryRunner.query('CREATE INDEX "IDX_e7d47723580483911e488ac65b" ON "role_rules"  ("role_id") ');
    await queryRunner.query(
      'CREATE TABLE "signing_keys" ("kid" character varying(64) NOT NULL, "purpose" character varying(16) NOT NULL, "alg" character varying(16) NOT NULL, "private_key_sealed" text NOT NULL, "public_jwk" jsonb NOT NULL, "certificate_pem" text, "status" character varying(16) NOT NULL DEFAULT \'active\', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "retire_after" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_13362ac3e792c69417e1a53d355" PRIMARY KEY ("kid"))',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_c9698c9fc8fbb1a79337065144" ON "signing_keys"  ("purpose", "status") ',
    );
    await queryRunner.query(
      'CREATE TABLE "sso_sessions" ("token_hash" character varying(64) NOT NULL, "session_ref" character varying(64) NOT NULL, "tenant_id" uuid NOT NULL, "person_id" uuid, "identity_id" uuid, "provider_id" uuid, "amr" text array NOT NULL DEFAULT \'{}\', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "last_seen_at" TIMESTAMP WITH TIME ZONE NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "revoked_at" TIMESTAMP WITH TIME ZONE, "ip" character varying(64), "user_agent" character varying(512), CONSTRAINT "UQ_996dc3d1284c8ce6ee892771b0a" UNIQUE ("session_ref"), CONSTRAINT "PK_120c5f85f4828832dca11c9bffb" PRIMARY KEY ("token_hash"))',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_8b9ec03b8819657d9b3afa1254" ON "sso_sessions"  ("expires_at") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_4bc3b2e24fd478b2db4e50daf2" ON "sso_sessions"  ("person_id") ',
    );
    await queryRunner.query(
      'CREATE TABLE "sync_events" ("id" BIGSERIAL NOT NULL, "run_id" uuid NOT NULL, "tenant_id" uuid, "connection_id" uuid, "object_type" character varying(24) NOT NULL, "object_id" uuid, "external_id" character varying(512), "label" character varying(300), "action" character varying(16) NOT NULL, "status" character varying(16) NOT NULL, "diff" jsonb, "error" jsonb, "attempts" integer NOT NULL DEFAULT \'1\', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_f5605e074163593572c4ffbdfa1" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "IDX_7ee480ac2f80d12b54f49762ec" ON "sync_events"  ("object_id") ');
    await queryRunner.query(
      'CREATE INDEX "IDX_e28024736d034b902511651fe9" ON "sync_events"  ("connection_id", "external_id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_c892fb0b9500fbdc7606458835" ON "sync_events"  ("run_id", "action", "status") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_0090a65f3babc784d7f088ea22" ON "sync_events"  ("run_id", "id") ',
    );
    await queryRunner.query(
      'CREATE TABLE "sync_runs" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "tenant_id" uuid, "connection_id" uuid, "kind" character varying(16) NOT NULL, "trigger" character varying(16) NOT NULL, "mode" character varying(16) NOT NULL DEFAULT \'incremental\', "dry_run" boolean NOT NULL DEFAULT false, "status" character varying(20) NOT NULL DEFAULT \'running\', "counts" jsonb NOT NULL DEFAULT \'{}\', "workflow_id" character varying(255), "error" jsonb, "requested_by" character varying(200), "started_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "finished_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_adf13fff41a683b3b991fb90b11" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "IDX_b774646e4bed4cd1f8b0d0d265" ON "sync_runs"  ("status") ');
    await queryRunner.query(
      'CREATE INDEX "IDX_3b194bb77fb3f319951e38c066" ON "sync_runs"  ("tenant_id", "started_at") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_d8e17b332e07af95a152793df6" ON "sync_runs"  ("connection_id", "started_at") ',
    );
    await queryRunner.query(
      'CREATE TABLE "target_records" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "version" integer NOT NULL, "tenant_id" uuid NOT NULL, "connection_id" uuid NOT NULL, "object_type" character varying(24) NOT NULL, "object_key" character varying(300) NOT NULL, "external_id" character varying(512), "state_hash" character varying(64), "last_pushed" jsonb NOT NULL DEFAULT \'{}\', CONSTRAINT "PK_0eb087ba8db7df977741875fe88" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_f53f17017dd1c280747b780b3e" ON "target_records"  ("tenant_id") ',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "IDX_f8cd68170ce2d8fdd24986a6f1" ON "target_records"  ("connection_id", "object_type", "object_key") ',
    );
    await queryRunner.query(
      'CREATE TABLE "tenant_domains" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "version" integer NOT NULL, "tenant_id" uuid NOT NULL, "domain" character varying(253) NOT NULL, "include_subdomains" boolean NOT NULL DEFAULT false, CONSTRAINT "UQ_114ca3e45874f37ae9fef0ea6b5" UNIQUE ("domain"), CONSTRAINT "PK_5ade9ab3ed3d7eebef7a8ea5bdd" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_3fb0c5327fd96e396af091cb99" ON "tenant_domains"  ("tenant_id") ',
    );
    await queryRunner.query(
      'CREATE TABLE "webauthn_credentials" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "identity_id" uuid NOT NULL, "credential_id" character varying(1024) NOT NULL, "public_key" text NOT NULL, "sign_count" bigint NOT NULL DEFAULT \'0\', "transports" text array NOT NULL DEFAULT \'{}\', "label" character varying(200), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "last_used_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "UQ_8292f27b760a80388601db2d426" UNIQUE ("credential_id"), CONSTRAINT "PK_f5a100358f652926a5abae5e431" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_cba38ec6554f4f9c4ee4c47c49" ON "webauthn_credentials"  ("identity_id") ',
    );
    await queryRunner.query(
      'ALTER TABLE "tenants" ADD CONSTRAINT "FK_bb2a90ed37750405dd793f3d7ff" FOREIGN KEY ("parent_id") REFERENCES "tenants"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "connections" ADD CONSTRAINT "FK_2e37e3b97bf0ae3c7575a39fd4a" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "departments" ADD CONSTRAINT "FK_146fd7019eea73f8ee7bbb52d4a" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "departments" ADD CONSTRAINT "FK_700b0b13f494cb37b6ca929e79b" FOREIGN KEY ("parent_id") REFERENCES "departments"("id") ON DELETE SET NULL ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "people" ADD CONSTRAINT "FK_bdca35930a4934831e969f201fb" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "people" ADD CONSTRAINT "FK_cf3092a5fa742815c7f2028c62d" FOREIGN KEY ("department_id") REFERENCES "departments"("id") ON DELETE SET NULL ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "people" ADD CONSTRAINT "FK_acb51d0935144495a95523ef99f" FOREIGN KEY ("manager_id") REFERENCES "people"("id") ON DELETE SET NULL ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "accounts" ADD CONSTRAINT "FK_7d19e1352a357c34955c16628fd" FOREIGN KEY ("connection_id") REFERENCES "connections"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "accounts" ADD CONSTRAINT "FK_cecdd107ca499a5b3279f9f2cea" FOREIGN KEY ("person_id") REFERENCES "people"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "admin_grants" ADD CONSTRAINT "FK_c29e9565fbcfc5f7904a034aa0b" FOREIGN KEY ("person_id") REFERENCES "people"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "admin_grants" ADD CONSTRAINT "FK_7a3a97cbe77da69524f32dee5bf" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "applications" ADD CONSTRAINT "FK_06b5376fd696c7bffaaa6109fc9" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "roles" ADD CONSTRAINT "FK_e59a01f4fe46ebbece575d9a0fc" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "entitlements" ADD CONSTRAINT "FK_4b32cf36e60918ec0bdb241a716" FOREIGN KEY ("role_id") REFERENCES "roles"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "groups" ADD CONSTRAINT "FK_245f58bdfb3e9529b4100d9c5e7" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "group_memberships" ADD CONSTRAINT "FK_cad344fe877fcee0ac7e065ed05" FOREIGN KEY ("group_id") REFERENCES "groups"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "group_memberships" ADD CONSTRAINT "FK_88f058c7c6915d1e9bccdf0ac6a" FOREIGN KEY ("person_id") REFERENCES "people"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "identity_providers" ADD CONSTRAINT "FK_94a7bbc0e893d99a5b316e0a6d9" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "identities" ADD CONSTRAINT "FK_d78bd4c86b2e5ca3f6bbb3c1586" FOREIGN KEY ("provider_id") REFERENCES "identity_providers"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "identities" ADD CONSTRAINT "FK_a0c1afad8e0cd3ce01d06204ef3" FOREIGN KEY ("person_id") REFERENCES "people"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "local_credentials" ADD CONSTRAINT "FK_f474ea46addfa274adc26b23a3e" FOREIGN KEY ("identity_id") REFERENCES "identities"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "role_assignments" ADD CONSTRAINT "FK_a0268fc16c3777758f7683a4401" FOREIGN KEY ("role_id") REFERENCES "roles"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "role_assignments" ADD CONSTRAINT "FK_ea83da32475dccf87b2702941bc" FOREIGN KEY ("person_id") REFERENCES "people"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "role_rules" ADD CONSTRAINT "FK_e7d47723580483911e488ac65ba" FOREIGN KEY ("role_id") REFERENCES "roles"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "target_records" ADD CONSTRAINT "FK_1cea75cc28f112afc666a143c86" FOREIGN KEY ("connection_id") REFERENCES "connections"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "tenant_domains" ADD CONSTRAINT "FK_3fb0c5327fd96e396af091cb99a" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "webauthn_credentials" ADD CONSTRAINT "FK_cba38ec6554f4f9c4ee4c47c49d" FOREIGN KEY ("identity_id") REFERENCES "identities"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE "webauthn_credentials" DROP CONSTRAINT "FK_cba38ec6554f4f9c4ee4c47c49d"',
    );
    await queryRunner.query('ALTER TABLE "tenant_domains" DROP CONSTRAINT "FK_3fb0c5327fd96e396af091cb99a"');
    await queryRunner.query('ALTER TABLE "target_records" DROP CONSTRAINT "FK_1cea75cc28f112afc666a143c86"');
    await queryRunner.query('ALTER TABLE "role_rules" DROP CONSTRAINT "FK_e7d47723580483911e488ac65ba"');
    await queryRunner.query(
      'ALTER TABLE "role_assignments" DROP CONSTRAINT "FK_ea83da32475dccf87b2702941bc"',
    );
    await queryRunner.query(
      'ALTER TABLE "role_assignments" DROP CONSTRAINT "FK_a0268fc16c3777758f7683a4401"',
    );
    await queryRunner.query(
      'ALTER TABLE "local_credentials" DROP CONSTRAINT "FK_f474ea46addfa274adc26b23a3e"',
    );
    await queryRunner.query('ALTER TABLE "identities" DROP CONSTRAINT "FK_a0c1afad8e0cd3ce01d06204ef3"');
    await queryRunner.query('ALTER TABLE "identities" DROP CONSTRAINT "FK_d78bd4c86b2e5ca3f6bbb3c1586"');
    await queryRunner.query(
      'ALTER TABLE "identity_providers" DROP CONSTRAINT "FK_94a7bbc0e893d99a5b316e0a6d9"',
    );
    await queryRunner.query(
      'ALTER TABLE "group_memberships" DROP CONSTRAINT "FK_88f058c7c6915d1e9bccdf0ac6a"',
    );
    await queryRunner.query(
      'ALTER TABLE "group_memberships" DROP CONSTRAINT "FK_cad344fe877fcee0ac7e065ed05"',
    );
    await queryRunner.query('ALTER TABLE "groups" DROP CONSTRAINT "FK_245f58bdfb3e9529b4100d9c5e7"');
    await queryRunner.query('ALTER TABLE "entitlements" DROP CONSTRAINT "FK_4b32cf36e60918ec0bdb241a716"');
    await queryRunner.query('ALTER TABLE "roles" DROP CONSTRAINT "FK_e59a01f4fe46ebbece575d9a0fc"');
    await queryRunner.query('ALTER TABLE "applications" DROP CONSTRAINT "FK_06b5376fd696c7bffaaa6109fc9"');
    await queryRunner.query('ALTER TABLE "admin_grants" DROP CONSTRAINT "FK_7a3a97cbe77da69524f32dee5bf"');
    await queryRunner.query('ALTER TABLE "admin_grants" DROP CONSTRAINT "FK_c29e9565fbcfc5f7904a034aa0b"');
    await queryRunner.query('ALTER TABLE "accounts" DROP CONSTRAINT "FK_cecdd107ca499a5b3279f9f2cea"');
    await queryRunner.query('ALTER TABLE "accounts" DROP CONSTRAINT "FK_7d19e1352a357c34955c16628fd"');
    await queryRunner.query('ALTER TABLE "people" DROP CONSTRAINT "FK_acb51d0935144495a95523ef99f"');
    await queryRunner.query('ALTER TABLE "people" DROP CONSTRAINT "FK_cf3092a5fa742815c7f2028c62d"');
    await queryRunner.query('ALTER TABLE "people" DROP CONSTRAINT "FK_bdca35930a4934831e969f201fb"');
    await queryRunner.query('ALTER TABLE "departments" DROP CONSTRAINT "FK_700b0b13f494cb37b6ca929e79b"');
    await queryRunner.query('ALTER TABLE "departments" DROP CONSTRAINT "FK_146fd7019eea73f8ee7bbb52d4a"');
    await queryRunner.query('ALTER TABLE "connections" DROP CONSTRAINT "FK_2e37e3b97bf0ae3c7575a39fd4a"');
    await queryRunner.query('ALTER TABLE "tenants" DROP CONSTRAINT "FK_bb2a90ed37750405dd793f3d7ff"');
    await queryRunner.query('DROP INDEX "public"."IDX_cba38ec6554f4f9c4ee4c47c49"');
    await queryRunner.query('DROP TABLE "webauthn_credentials"');
    await queryRunner.query('DROP INDEX "public"."IDX_3fb0c5327fd96e396af091cb99"');
    await queryRunner.query('DROP TABLE "tenant_domains"');
    await queryRunner.query('DROP INDEX "public"."IDX_f8cd68170ce2d8fdd24986a6f1"');
    await queryRunner.query('DROP INDEX "public"."IDX_f53f17017dd1c280747b780b3e"');
    await queryRunner.query('DROP TABLE "target_records"');
    await queryRunner.query('DROP INDEX "public"."IDX_d8e17b332e07af95a152793df6"');
    await queryRunner.query('DROP INDEX "public"."IDX_3b194bb77fb3f319951e38c066"');
    await queryRunner.query('DROP INDEX "public"."IDX_b774646e4bed4cd1f8b0d0d265"');
    await queryRunner.query('DROP TABLE "sync_runs"');
    await queryRunner.query('DROP INDEX "public"."IDX_0090a65f3babc784d7f088ea22"');
    await queryRunner.query('DROP INDEX "public"."IDX_c892fb0b9500fbdc7606458835"');
    await queryRunner.query('DROP INDEX "public"."IDX_e28024736d034b902511651fe9"');
    await queryRunner.query('DROP INDEX "public"."IDX_7ee480ac2f80d12b54f49762ec"');
    await queryRunner.query('DROP TABLE "sync_events"');
    await queryRunner.query('DROP INDEX "public"."IDX_4bc3b2e24fd478b2db4e50daf2"');
    await queryRunner.query('DROP INDEX "public"."IDX_8b9ec03b8819657d9b3afa1254"');
    await queryRunner.query('DROP TABLE "sso_sessions"');
    await queryRunner.query('DROP INDEX "public"."IDX_c9698c9fc8fbb1a79337065144"');
    await queryRunner.query('DROP TABLE "signing_keys"');
    await queryRunner.query('DROP INDEX "public"."IDX_e7d47723580483911e488ac65b"');
    await queryRunner.query('DROP INDEX "public"."IDX_5c9adc955090769892f0a42dc7"');
    await queryRunner.query('DROP TABLE "role_rules"');
    await queryRunner.query('DROP INDEX "public"."IDX_f6a13ad5ba7ba685d7517b8d12"');
    await queryRunner.query('DROP INDEX "public"."IDX_a0268fc16c3777758f7683a440"');
    await queryRunner.query('DROP INDEX "public"."IDX_ec7115ad063dcd96860047ca2b"');
    await queryRunner.query('DROP TABLE "role_assignments"');
    await queryRunner.query('DROP INDEX "public"."IDX_1bc24a149a0247f41842e12dea"');
    await queryRunner.query('DROP INDEX "public"."IDX_f2f67fe32117d45d6487f7c4a7"');
    await queryRunner.query('DROP INDEX "public"."IDX_228877072ae62305db7ce53ad4"');
    await queryRunner.query('DROP INDEX "public"."IDX_6928f796f91397db54b37754a9"');
    await queryRunner.query('DROP INDEX "public"."IDX_a438910609f8baa0814d94caeb"');
    await queryRunner.query('DROP TABLE "oidc_payloads"');
    await queryRunner.query('DROP TABLE "local_credentials"');
    await queryRunner.query('DROP INDEX "public"."IDX_965652454d27c0e7ccd82aacbd"');
    await queryRunner.query('DROP INDEX "public"."IDX_a0c1afad8e0cd3ce01d06204ef"');
    await queryRunner.query('DROP INDEX "public"."IDX_c6cddbe6551f9e41ccce17ceba"');
    await queryRunner.query('DROP TABLE "identities"');
    await queryRunner.query('DROP INDEX "public"."IDX_88fe8cd3dafbd6884e0417cc7f"');
    await queryRunner.query('DROP INDEX "public"."IDX_94a7bbc0e893d99a5b316e0a6d"');
    await queryRunner.query('DROP TABLE "identity_providers"');
    await queryRunner.query('DROP INDEX "public"."IDX_88f058c7c6915d1e9bccdf0ac6"');
    await queryRunner.query('DROP TABLE "group_memberships"');
    await queryRunner.query('DROP INDEX "public"."IDX_fc8c427664df16f6c6596ef094"');
    await queryRunner.query('DROP INDEX "public"."IDX_4cf8a03cacb1efcf2b0c49281e"');
    await queryRunner.query('DROP INDEX "public"."IDX_245f58bdfb3e9529b4100d9c5e"');
    await queryRunner.query('DROP TABLE "groups"');
    await queryRunner.query('DROP INDEX "public"."IDX_5715b6c24c7d9b6bcbcb0cd5bb"');
    await queryRunner.query('DROP TABLE "expiring_entries"');
    await queryRunner.query('DROP INDEX "public"."IDX_0fe8bf6f217e3efd10efaa504a"');
    await queryRunner.query('DROP INDEX "public"."IDX_5e76718d3e046887c486700aaa"');
    await queryRunner.query('DROP INDEX "public"."IDX_1c19f289d0eeaf508d5f2d55c8"');
    await queryRunner.query('DROP INDEX "public"."IDX_16b23391cfaeacba6facca3d69"');
    await queryRunner.query('DROP TABLE "entitlements"');
    await queryRunner.query('DROP INDEX "public"."IDX_a93cb957cd57b34fdb74b1d1de"');
    await queryRunner.query('DROP INDEX "public"."IDX_e59a01f4fe46ebbece575d9a0f"');
    await queryRunner.query('DROP TABLE "roles"');
    await queryRunner.query('DROP INDEX "public"."IDX_a004d14b184c19f8bc3f320d86"');
    await queryRunner.query('DROP INDEX "public"."IDX_d5de0add56627328f0ce0aba9a"');
    await queryRunner.query('DROP INDEX "public"."IDX_41e5f5bd8ef46c5f340bcfc91f"');
    await queryRunner.query('DROP TABLE "audit_events"');
    await queryRunner.query('DROP INDEX "public"."IDX_5e2b13ca3c81105b8ca6147d56"');
    await queryRunner.query('DROP INDEX "public"."IDX_8100e1c00d4c99aa03756a9616"');
    await queryRunner.query('DROP TABLE "approvals"');
    await queryRunner.query('DROP INDEX "public"."IDX_a075ec0351a1dfe901602fb6d9"');
    await queryRunner.query('DROP INDEX "public"."IDX_06b5376fd696c7bffaaa6109fc"');
    await queryRunner.query('DROP TABLE "applications"');
    await queryRunner.query('DROP INDEX "public"."IDX_2c3be6b98e872975a45a982507"');
    await queryRunner.query('DROP TABLE "api_tokens"');
    await queryRunner.query('DROP INDEX "public"."IDX_c7045964ea4ef65cd62e6d5a44"');
    await queryRunner.query('DROP INDEX "public"."IDX_7a3a97cbe77da69524f32dee5b"');
    await queryRunner.query('DROP TABLE "admin_grants"');
    await queryRunner.query('DROP INDEX "public"."IDX_1c9c18ed29db0fb2313215ce48"');
    await queryRunner.query('DROP INDEX "public"."IDX_5d9b3f100bd469d105e63460d5"');
    await queryRunner.query('DROP INDEX "public"."IDX_b698377e4ea147bf4dbaf857c9"');
    await queryRunner.query('DROP INDEX "public"."IDX_cecdd107ca499a5b3279f9f2ce"');
    await queryRunner.query('DROP INDEX "public"."IDX_c1cce1e0d9cc2557038a7f639d"');
    await queryRunner.query('DROP TABLE "accounts"');
    await queryRunner.query('DROP INDEX "public"."IDX_474a71924b5d5186c2b1f5d729"');
    await queryRunner.query('DROP INDEX "public"."IDX_3cbb4512282a98978ed75b0ce3"');
    await queryRunner.query('DROP INDEX "public"."IDX_7979be69980d1a298d6eaece11"');
    await queryRunner.query('DROP INDEX "public"."IDX_737a03c7ad4b18735b50dab068"');
    await queryRunner.query('DROP INDEX "public"."IDX_acb51d0935144495a95523ef99"');
    await queryRunner.query('DROP INDEX "public"."IDX_cf3092a5fa742815c7f2028c62"');
    await queryRunner.query('DROP INDEX "public"."IDX_bdca35930a4934831e969f201f"');
    await queryRunner.query('DROP TABLE "people"');
    await queryRunner.query('DROP INDEX "public"."IDX_f346808de8ea4451c53510d40c"');
    await queryRunner.query('DROP INDEX "public"."IDX_700b0b13f494cb37b6ca929e79"');
    await queryRunner.query('DROP INDEX "public"."IDX_146fd7019eea73f8ee7bbb52d4"');
    await queryRunner.query('DROP TABLE "departments"');
    await queryRunner.query('DROP INDEX "public"."IDX_b425ee06537f6000861a45d4a4"');
    await queryRunner.query('DROP INDEX "public"."IDX_2e37e3b97bf0ae3c7575a39fd4"');
    await queryRunner.query('DROP TABLE "connections"');
    await queryRunner.query('DROP INDEX "public"."IDX_bb2a90ed37750405dd793f3d7f"');
    await queryRunner.query('DROP TABLE "tenants"');
  }
}
