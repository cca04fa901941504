/// The store's first schema, frozen: the exact SQL it was created with, never built from the
/// app's current types. A change to the schema is a new migration beside this one
/// (`MigrationV2`, ...), never an edit of this text: stores in the field were created by it.
///
/// `serviceEvent.kind` is checked with an OR chain, not IN (...): SQLite builds an ephemeral
/// table for an IN list on every row it checks, which made inserts three times slower.
enum MigrationV1 {
    static let identifier = "v1"

    static let sql = """
        CREATE TABLE "account" ("id" TEXT PRIMARY KEY NOT NULL COLLATE NOCASE, "holder" TEXT, "type" TEXT NOT NULL CHECK ("type" IN ('consumer', 'business')), "plan" TEXT);
        CREATE TABLE "line" ("id" INTEGER PRIMARY KEY AUTOINCREMENT, "accountId" TEXT NOT NULL REFERENCES "account"("id") ON DELETE CASCADE, "msisdn" TEXT NOT NULL, "imei" TEXT, "iccid" TEXT, "device" TEXT, UNIQUE ("accountId", "msisdn"));
        CREATE INDEX "line_on_accountId" ON "line"("accountId");
        CREATE INDEX "index_line_on_msisdn" ON "line"("msisdn");
        CREATE INDEX "line_on_imei" ON "line"("imei") WHERE "imei" IS NOT NULL;
        CREATE INDEX "line_on_iccid" ON "line"("iccid") WHERE "iccid" IS NOT NULL;
        CREATE TABLE "lineIdentity" ("lineId" INTEGER NOT NULL REFERENCES "line"("id") ON DELETE CASCADE, "kind" TEXT NOT NULL CHECK ("kind" IN ('imei', 'iccid')), "value" TEXT NOT NULL, "device" TEXT, PRIMARY KEY ("kind", "value", "lineId"));
        CREATE INDEX "lineIdentity_on_lineId" ON "lineIdentity"("lineId");
        CREATE INDEX "index_lineIdentity_on_lineId" ON "lineIdentity"("lineId");
        CREATE TABLE "serviceEvent" ("id" INTEGER PRIMARY KEY, "accountId" TEXT NOT NULL REFERENCES "account"("id") ON DELETE CASCADE, "at" INTEGER NOT NULL, "endAt" INTEGER, "kind" TEXT NOT NULL CHECK (kind = 'plan_change' OR kind = 'sim_swap' OR kind = 'device_change' OR kind = 'port_in' OR kind = 'port_out' OR kind = 'outage' OR kind = 'roaming' OR kind = 'billing' OR kind = 'support_case' OR kind = 'note'), "msisdn" TEXT, "imei" TEXT, "iccid" TEXT, "device" TEXT, "plan" TEXT, "country" TEXT, "area" TEXT, "caseNumber" TEXT COLLATE NOCASE, "summary" TEXT NOT NULL, "fingerprint" INTEGER NOT NULL);
        CREATE UNIQUE INDEX serviceEvent_on_accountId_at_fingerprint ON serviceEvent(accountId, at, fingerprint);
        CREATE INDEX serviceEvent_on_imei ON serviceEvent(imei) WHERE imei IS NOT NULL;
        CREATE INDEX serviceEvent_on_msisdn ON serviceEvent(msisdn) WHERE msisdn IS NOT NULL;
        CREATE INDEX serviceEvent_on_iccid ON serviceEvent(iccid) WHERE iccid IS NOT NULL;
        CREATE INDEX serviceEvent_on_caseNumber ON serviceEvent(caseNumber) WHERE caseNumber IS NOT NULL;
        CREATE TABLE "supportCase" ("id" INTEGER PRIMARY KEY AUTOINCREMENT, "number" TEXT UNIQUE COLLATE NOCASE, "accountId" TEXT NOT NULL REFERENCES "account"("id") ON DELETE CASCADE, "channel" TEXT CHECK ("channel" IN ('voice', 'chat', 'email', 'social', 'app', 'store')), "rep" TEXT, "status" TEXT NOT NULL CHECK ("status" IN ('draft', 'open', 'closed', 'escalated')), "summary" TEXT, "resolution" TEXT, "openedAt" INTEGER NOT NULL, "updatedAt" INTEGER NOT NULL);
        CREATE INDEX "supportCase_on_accountId_openedAt" ON "supportCase"("accountId", "openedAt");
        CREATE TABLE "caseReport" ("supportCaseId" INTEGER NOT NULL REFERENCES "supportCase"("id") ON DELETE CASCADE, "reportId" TEXT NOT NULL COLLATE NOCASE, PRIMARY KEY ("supportCaseId", "reportId"));
        CREATE INDEX "index_caseReport_on_reportId" ON "caseReport"("reportId");
        CREATE TABLE "report" ("id" TEXT PRIMARY KEY NOT NULL COLLATE NOCASE, "createdAt" INTEGER NOT NULL, "json" BLOB NOT NULL, "sha256" TEXT NOT NULL);
        CREATE INDEX "report_on_createdAt" ON "report"("createdAt");
        CREATE TABLE "reportIdentifier" ("reportId" TEXT NOT NULL REFERENCES "report"("id") ON DELETE CASCADE, "kind" TEXT NOT NULL CHECK ("kind" IN ('imei', 'iccid', 'imsi', 'msisdn', 'serial')), "value" TEXT NOT NULL, PRIMARY KEY ("kind", "value", "reportId"));
        CREATE INDEX "reportIdentifier_on_reportId" ON "reportIdentifier"("reportId");
        CREATE TABLE "tac" ("tac" TEXT PRIMARY KEY NOT NULL, "manufacturer" TEXT, "model" TEXT);
        PRAGMA user_version = 1;
        """
}
