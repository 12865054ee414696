-- Orleans' ADO.NET clustering and reminder tables for PostgreSQL, written for these tests against the query contract
-- of Microsoft.Orleans.Clustering.AdoNet and Microsoft.Orleans.Reminders.AdoNet 10.4.2: Orleans reads the text of
-- each query it issues from OrleansQuery (by key), binds its parameters by name (@DeploymentId, ...) and reads result
-- columns by name. Production should apply Orleans' own scripts (PostgreSQL-Main.sql, PostgreSQL-Clustering.sql,
-- PostgreSQL-Reminders.sql from the dotnet/orleans repository, at the tag of the version it runs); see docs/scale-out.md.
-- Run with search_path set to the schema the tables belong in.

CREATE TABLE OrleansQuery
(
    QueryKey varchar(64) NOT NULL PRIMARY KEY,
    QueryText varchar(8000) NOT NULL
);

-- Membership: one version row per cluster, moved by one on every change; a change made against a stale version is
-- refused (0), as Orleans' optimistic membership protocol expects.
CREATE TABLE orleans_cluster
(
    deployment_id varchar(150) NOT NULL PRIMARY KEY,
    version integer NOT NULL DEFAULT 0,
    changed_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE orleans_silo
(
    deployment_id varchar(150) NOT NULL REFERENCES orleans_cluster (deployment_id),
    address varchar(45) NOT NULL,
    port integer NOT NULL,
    generation integer NOT NULL,
    silo_name varchar(150) NOT NULL,
    host_name varchar(150) NOT NULL,
    status integer NOT NULL,
    proxy_port integer NULL,
    suspect_times varchar(8000) NULL,
    start_time timestamptz NOT NULL,
    i_am_alive_time timestamptz NOT NULL,
    PRIMARY KEY (deployment_id, address, port, generation)
);

-- Bumps the cluster's version if it still is p_version; true when it did.
CREATE FUNCTION orleans_bump_version(p_deployment varchar, p_version integer) RETURNS boolean LANGUAGE plpgsql AS $body$
BEGIN
    UPDATE orleans_cluster SET version = version + 1, changed_at = now()
    WHERE deployment_id = p_deployment AND version = p_version;
    RETURN FOUND;
END
$body$;

-- A silo joins: 1 when its row was added and the version moved, 0 (and nothing changed) otherwise.
CREATE FUNCTION orleans_silo_insert(p_deployment varchar, p_address varchar, p_port integer, p_generation integer,
    p_silo_name varchar, p_host_name varchar, p_status integer, p_proxy_port integer, p_start timestamptz,
    p_alive timestamptz, p_version integer) RETURNS integer LANGUAGE plpgsql AS $body$
BEGIN
    IF NOT orleans_bump_version(p_deployment, p_version) THEN
        RETURN 0;
    END IF;
    INSERT INTO orleans_silo (deployment_id, address, port, generation, silo_name, host_name, status, proxy_port, start_time, i_am_alive_time)
    VALUES (p_deployment, p_address, p_port, p_generation, p_silo_name, p_host_name, p_status, p_proxy_port, p_start, p_alive);
    RETURN 1;
EXCEPTION WHEN unique_violation THEN
    RETURN 0; -- The block's changes, the version bump included, are undone.
END
$body$;

-- A silo's row changes (status, suspicions): 1 when it did and the version moved, 0 (and nothing changed) otherwise.
CREATE FUNCTION orleans_silo_update(p_deployment varchar, p_address varchar, p_port integer, p_generation integer,
    p_status integer, p_suspect_times varchar, p_alive timestamptz, p_version integer) RETURNS integer LANGUAGE plpgsql AS $body$
BEGIN
    IF NOT orleans_bump_version(p_deployment, p_version) THEN
        RETURN 0;
    END IF;
    UPDATE orleans_silo SET status = p_status, suspect_times = p_suspect_times, i_am_alive_time = p_alive
    WHERE deployment_id = p_deployment AND address = p_address AND port = p_port AND generation = p_generation;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'no_data_found';
    END IF;
    RETURN 1;
EXCEPTION WHEN no_data_found THEN
    RETURN 0;
END
$body$;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('InsertMembershipVersionKey',
 'WITH added AS (INSERT INTO orleans_cluster (deployment_id) VALUES (@DeploymentId) ON CONFLICT (deployment_id) DO NOTHING RETURNING 1)
  SELECT count(*)::integer FROM added'),
('InsertMembershipKey',
 'SELECT orleans_silo_insert(@DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName, @Status, @ProxyPort, @StartTime, @IAmAliveTime, @Version)'),
('UpdateMembershipKey',
 'SELECT orleans_silo_update(@DeploymentId, @Address, @Port, @Generation, @Status, @SuspectTimes, @IAmAliveTime, @Version)'),
('UpdateIAmAlivetimeKey',
 'WITH alive AS (UPDATE orleans_silo SET i_am_alive_time = @IAmAliveTime
                 WHERE deployment_id = @DeploymentId AND address = @Address AND port = @Port AND generation = @Generation RETURNING 1)
  SELECT count(*)::integer FROM alive'),
-- The version row comes back even with no silo rows (their columns then null): it carries the table version.
('MembershipReadRowKey',
 'SELECT c.deployment_id AS DeploymentId, s.address AS Address, s.port AS Port, s.generation AS Generation, s.silo_name AS SiloName,
         s.host_name AS HostName, s.status AS Status, s.proxy_port AS ProxyPort, s.suspect_times AS SuspectTimes,
         s.start_time AS StartTime, s.i_am_alive_time AS IAmAliveTime, c.version AS Version
  FROM orleans_cluster c
  LEFT JOIN orleans_silo s ON s.deployment_id = c.deployment_id AND s.address = @Address AND s.port = @Port AND s.generation = @Generation
  WHERE c.deployment_id = @DeploymentId'),
('MembershipReadAllKey',
 'SELECT c.deployment_id AS DeploymentId, s.address AS Address, s.port AS Port, s.generation AS Generation, s.silo_name AS SiloName,
         s.host_name AS HostName, s.status AS Status, s.proxy_port AS ProxyPort, s.suspect_times AS SuspectTimes,
         s.start_time AS StartTime, s.i_am_alive_time AS IAmAliveTime, c.version AS Version
  FROM orleans_cluster c
  LEFT JOIN orleans_silo s ON s.deployment_id = c.deployment_id
  WHERE c.deployment_id = @DeploymentId'),
('DeleteMembershipTableEntriesKey',
 'DELETE FROM orleans_silo WHERE deployment_id = @DeploymentId; DELETE FROM orleans_cluster WHERE deployment_id = @DeploymentId'),
('GatewaysQueryKey',
 'SELECT address AS Address, proxy_port AS ProxyPort, generation AS Generation FROM orleans_silo
  WHERE deployment_id = @DeploymentId AND status = @Status AND proxy_port > 0'),
-- Status 3 is Active: live silos are never cleaned up.
('CleanupDefunctSiloEntriesKey',
 'DELETE FROM orleans_silo WHERE deployment_id = @DeploymentId AND i_am_alive_time < @IAmAliveTime AND status <> 3'),
('CleanupDefunctSiloEntryKey',
 'DELETE FROM orleans_silo WHERE deployment_id = @DeploymentId AND address = @Address AND port = @Port AND generation = @Generation AND status <> 3');

-- Reminders: one row per grain and reminder name, its version the ETag Orleans compares on delete.
CREATE TABLE orleans_reminder
(
    service_id varchar(150) NOT NULL,
    grain_id varchar(150) NOT NULL,
    reminder_name varchar(150) NOT NULL,
    start_time timestamptz NOT NULL,
    period bigint NOT NULL,
    grain_hash integer NOT NULL,
    version integer NOT NULL,
    PRIMARY KEY (service_id, grain_id, reminder_name)
);

CREATE INDEX orleans_reminder_by_hash ON orleans_reminder (service_id, grain_hash);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('UpsertReminderRowKey',
 'INSERT INTO orleans_reminder (service_id, grain_id, reminder_name, start_time, period, grain_hash, version)
  VALUES (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 0)
  ON CONFLICT (service_id, grain_id, reminder_name) DO UPDATE
  SET start_time = excluded.start_time, period = excluded.period, grain_hash = excluded.grain_hash, version = orleans_reminder.version + 1
  RETURNING version'),
('ReadReminderRowsKey',
 'SELECT grain_id AS GrainId, reminder_name AS ReminderName, start_time AS StartTime, period AS Period, version AS Version
  FROM orleans_reminder WHERE service_id = @ServiceId AND grain_id = @GrainId'),
('ReadReminderRowKey',
 'SELECT grain_id AS GrainId, reminder_name AS ReminderName, start_time AS StartTime, period AS Period, version AS Version
  FROM orleans_reminder WHERE service_id = @ServiceId AND grain_id = @GrainId AND reminder_name = @ReminderName'),
-- A hash range (BeginHash, EndHash], or when it wraps around, everything outside (EndHash, BeginHash].
('ReadRangeRows1Key',
 'SELECT grain_id AS GrainId, reminder_name AS ReminderName, start_time AS StartTime, period AS Period, version AS Version
  FROM orleans_reminder WHERE service_id = @ServiceId AND grain_hash > @BeginHash AND grain_hash <= @EndHash'),
('ReadRangeRows2Key',
 'SELECT grain_id AS GrainId, reminder_name AS ReminderName, start_time AS StartTime, period AS Period, version AS Version
  FROM orleans_reminder WHERE service_id = @ServiceId AND (grain_hash > @BeginHash OR grain_hash <= @EndHash)'),
('DeleteReminderRowKey',
 'WITH gone AS (DELETE FROM orleans_reminder WHERE service_id = @ServiceId AND grain_id = @GrainId AND reminder_name = @ReminderName AND version = @Version RETURNING 1)
  SELECT count(*)::integer FROM gone'),
('DeleteReminderRowsKey',
 'DELETE FROM orleans_reminder WHERE service_id = @ServiceId');
