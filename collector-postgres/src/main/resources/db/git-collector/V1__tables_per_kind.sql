-- Git Collector's tables, in schema "git". One table per kind: a row per entity (its latest version), its envelope
-- as jsonb, and generated columns for the fields people query. The generated columns are derived from the envelope,
-- so the envelope stays the one truth and a later migration can add columns without rewriting rows by hand.

-- ISO-8601 text with its offset to timestamptz. Declared immutable so that generated columns may use it: the
-- envelopes' times always carry an offset ('Z'), so the result never depends on the session's time zone.
CREATE FUNCTION git.iso_time(value text) RETURNS timestamptz
  LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURNS NULL ON NULL INPUT
  AS $$ SELECT value::timestamptz $$;

-- Which table holds which event type; event types not listed (a plugin's kinds) go to git.other_envelopes.
CREATE TABLE git.kind_tables (
  event_type text PRIMARY KEY,
  table_name text NOT NULL
);

-- Orders every write to the kinds' tables: a reader that remembers the highest change_sequence it saw reads only what
-- changed since (WHERE change_sequence > :last).
CREATE SEQUENCE git.changes;

-- The columns every kind's table starts with (each takes them with LIKE; this table itself is never written):
--   entity_key   what identifies the entity in its repository (a sha, a number, a login)
--   event_id     the envelope's id: the same entity in the same version always has the same id
--   entity_time  the envelope's timestamp
--   deliveries   how often this version was delivered: above 1 only when the same event came again (a full sync)
--   change_sequence  when the row was last written, in the order of all writes (git.changes)
CREATE TABLE git.entity_columns (
  repository_id text NOT NULL, entity_key text NOT NULL, event_id uuid NOT NULL, event_type text NOT NULL,
  entity_time timestamptz NOT NULL, envelope jsonb NOT NULL, deliveries integer NOT NULL DEFAULT 1,
  stored_at timestamptz NOT NULL DEFAULT now(), change_sequence bigint NOT NULL DEFAULT nextval('git.changes')
);
CREATE TABLE git.repositories (
  LIKE git.entity_columns INCLUDING DEFAULTS,
  full_name text GENERATED ALWAYS AS (envelope #>> '{data,full_name}') STORED,
  default_branch text GENERATED ALWAYS AS (envelope #>> '{data,default_branch}') STORED,
  visibility text GENERATED ALWAYS AS (envelope #>> '{data,visibility}') STORED,
  fork boolean GENERATED ALWAYS AS ((envelope #>> '{data,fork}')::boolean) STORED,
  archived boolean GENERATED ALWAYS AS ((envelope #>> '{data,archived}')::boolean) STORED,
  language text GENERATED ALWAYS AS (envelope #>> '{data,language}') STORED,
  stars integer GENERATED ALWAYS AS ((envelope #>> '{data,stars}')::integer) STORED,
  created_at timestamptz GENERATED ALWAYS AS (git.iso_time(envelope #>> '{data,created_at}')) STORED,
  pushed_at timestamptz GENERATED ALWAYS AS (git.iso_time(envelope #>> '{data,pushed_at}')) STORED,
  PRIMARY KEY (repository_id, entity_key)
);

CREATE TABLE git.commits (
  LIKE git.entity_columns INCLUDING DEFAULTS,
  sha text GENERATED ALWAYS AS (envelope #>> '{data,sha}') STORED,
  author_name text GENERATED ALWAYS AS (envelope #>> '{data,author,name}') STORED,
  author_email text GENERATED ALWAYS AS (envelope #>> '{data,author,email}') STORED,
  author_login text GENERATED ALWAYS AS (envelope #>> '{data,author,login}') STORED,
  authored_at timestamptz GENERATED ALWAYS AS (git.iso_time(envelope #>> '{data,author,date}')) STORED,
  committer_email text GENERATED ALWAYS AS (envelope #>> '{data,committer,email}') STORED,
  committed_at timestamptz GENERATED ALWAYS AS (git.iso_time(envelope #>> '{data,committer,date}')) STORED,
  additions integer GENERATED ALWAYS AS ((envelope #>> '{data,additions}')::integer) STORED,
  deletions integer GENERATED ALWAYS AS ((envelope #>> '{data,deletions}')::integer) STORED,
  changed_files integer GENERATED ALWAYS AS ((envelope #>> '{data,changed_files}')::integer) STORED,
  PRIMARY KEY (repository_id, entity_key)
);
CREATE INDEX commits_by_time ON git.commits (repository_id, committed_at);
CREATE INDEX commits_by_author ON git.commits (author_email, committed_at);

CREATE TABLE git.pull_requests (
  LIKE git.entity_columns INCLUDING DEFAULTS,
  number bigint GENERATED ALWAYS AS ((envelope #>> '{data,number}')::bigint) STORED,
  state text GENERATED ALWAYS AS (envelope #>> '{data,state}') STORED,
  title text GENERATED ALWAYS AS (envelope #>> '{data,title}') STORED,
  author text GENERATED ALWAYS AS (envelope #>> '{data,author}') STORED,
  source_branch text GENERATED ALWAYS AS (envelope #>> '{data,source_branch}') STORED,
  target_branch text GENERATED ALWAYS AS (envelope #>> '{data,target_branch}') STORED,
  draft boolean GENERATED ALWAYS AS ((envelope #>> '{data,draft}')::boolean) STORED,
  created_at timestamptz GENERATED ALWAYS AS (git.iso_time(envelope #>> '{data,created_at}')) STORED,
  updated_at timestamptz GENERATED ALWAYS AS (git.iso_time(envelope #>> '{data,updated_at}')) STORED,
  merged_at timestamptz GENERATED ALWAYS AS (git.iso_time(envelope #>> '{data,merged_at}')) STORED,
  closed_at timestamptz GENERATED ALWAYS AS (git.iso_time(envelope #>> '{data,closed_at}')) STORED,
  merge_commit_sha text GENERATED ALWAYS AS (envelope #>> '{data,merge_commit_sha}') STORED,
  PRIMARY KEY (repository_id, entity_key)
);
CREATE INDEX pull_requests_by_time ON git.pull_requests (repository_id, created_at);

CREATE TABLE git.contributors (
  LIKE git.entity_columns INCLUDING DEFAULTS,
  login text GENERATED ALWAYS AS (envelope #>> '{data,login}') STORED,
  name text GENERATED ALWAYS AS (envelope #>> '{data,name}') STORED,
  email text GENERATED ALWAYS AS (envelope #>> '{data,email}') STORED,
  contributions integer GENERATED ALWAYS AS ((envelope #>> '{data,contributions}')::integer) STORED,
  PRIMARY KEY (repository_id, entity_key)
);

CREATE TABLE git.issues (
  LIKE git.entity_columns INCLUDING DEFAULTS,
  number bigint GENERATED ALWAYS AS ((envelope #>> '{data,number}')::bigint) STORED,
  state text GENERATED ALWAYS AS (envelope #>> '{data,state}') STORED,
  title text GENERATED ALWAYS AS (envelope #>> '{data,title}') STORED,
  author text GENERATED ALWAYS AS (envelope #>> '{data,author}') STORED,
  milestone text GENERATED ALWAYS AS (envelope #>> '{data,milestone}') STORED,
  created_at timestamptz GENERATED ALWAYS AS (git.iso_time(envelope #>> '{data,created_at}')) STORED,
  updated_at timestamptz GENERATED ALWAYS AS (git.iso_time(envelope #>> '{data,updated_at}')) STORED,
  closed_at timestamptz GENERATED ALWAYS AS (git.iso_time(envelope #>> '{data,closed_at}')) STORED,
  PRIMARY KEY (repository_id, entity_key)
);
CREATE INDEX issues_by_time ON git.issues (repository_id, created_at);

CREATE TABLE git.ci_runs (
  LIKE git.entity_columns INCLUDING DEFAULTS,
  name text GENERATED ALWAYS AS (envelope #>> '{data,name}') STORED,
  event text GENERATED ALWAYS AS (envelope #>> '{data,event}') STORED,
  head_sha text GENERATED ALWAYS AS (envelope #>> '{data,head_sha}') STORED,
  head_branch text GENERATED ALWAYS AS (envelope #>> '{data,head_branch}') STORED,
  status text GENERATED ALWAYS AS (envelope #>> '{data,status}') STORED,
  attempt integer GENERATED ALWAYS AS ((envelope #>> '{data,attempt}')::integer) STORED,
  created_at timestamptz GENERATED ALWAYS AS (git.iso_time(envelope #>> '{data,created_at}')) STORED,
  started_at timestamptz GENERATED ALWAYS AS (git.iso_time(envelope #>> '{data,started_at}')) STORED,
  finished_at timestamptz GENERATED ALWAYS AS (git.iso_time(envelope #>> '{data,finished_at}')) STORED,
  duration_seconds bigint GENERATED ALWAYS AS ((envelope #>> '{data,duration_seconds}')::bigint) STORED,
  PRIMARY KEY (repository_id, entity_key)
);

CREATE TABLE git.deployments (
  LIKE git.entity_columns INCLUDING DEFAULTS,
  environment text GENERATED ALWAYS AS (envelope #>> '{data,environment}') STORED,
  sha text GENERATED ALWAYS AS (envelope #>> '{data,sha}') STORED,
  status text GENERATED ALWAYS AS (envelope #>> '{data,status}') STORED,
  status_at timestamptz GENERATED ALWAYS AS (git.iso_time(envelope #>> '{data,status_at}')) STORED,
  created_at timestamptz GENERATED ALWAYS AS (git.iso_time(envelope #>> '{data,created_at}')) STORED,
  PRIMARY KEY (repository_id, entity_key)
);

CREATE TABLE git.releases (
  LIKE git.entity_columns INCLUDING DEFAULTS,
  tag text GENERATED ALWAYS AS (envelope #>> '{data,tag}') STORED,
  name text GENERATED ALWAYS AS (envelope #>> '{data,name}') STORED,
  target_sha text GENERATED ALWAYS AS (envelope #>> '{data,target_sha}') STORED,
  draft boolean GENERATED ALWAYS AS ((envelope #>> '{data,draft}')::boolean) STORED,
  prerelease boolean GENERATED ALWAYS AS ((envelope #>> '{data,prerelease}')::boolean) STORED,
  created_at timestamptz GENERATED ALWAYS AS (git.iso_time(envelope #>> '{data,created_at}')) STORED,
  published_at timestamptz GENERATED ALWAYS AS (git.iso_time(envelope #>> '{data,published_at}')) STORED,
  PRIMARY KEY (repository_id, entity_key)
);

CREATE TABLE git.repository_renames (
  LIKE git.entity_columns INCLUDING DEFAULTS,
  previous_repository_id text GENERATED ALWAYS AS (envelope #>> '{data,previous_repository_id}') STORED,
  full_name text GENERATED ALWAYS AS (envelope #>> '{data,full_name}') STORED,
  PRIMARY KEY (repository_id, entity_key)
);

CREATE TABLE git.repository_deletions (
  LIKE git.entity_columns INCLUDING DEFAULTS,
  full_name text GENERATED ALWAYS AS (envelope #>> '{data,full_name}') STORED,
  PRIMARY KEY (repository_id, entity_key)
);

-- a plugin's kinds: the envelope alone
CREATE TABLE git.other_envelopes (
  LIKE git.entity_columns INCLUDING DEFAULTS,
  PRIMARY KEY (event_type, repository_id, entity_key)
);

INSERT INTO git.kind_tables (event_type, table_name) VALUES
  ('repository_updated', 'repositories'),
  ('commit_created', 'commits'),
  ('pull_request_updated', 'pull_requests'),
  ('contributor_updated', 'contributors'),
  ('issue_updated', 'issues'),
  ('ci_run_updated', 'ci_runs'),
  ('deployment_updated', 'deployments'),
  ('release_updated', 'releases'),
  ('repository_renamed', 'repository_renames'),
  ('repository_deleted', 'repository_deletions');

-- Where each stream of each repository stands, written in the same transaction as the page it follows: the data and
-- the position cannot disagree, so a page is never written twice, whenever the process dies.
CREATE TABLE git.stream_positions (
  repository_id text NOT NULL,
  stream text NOT NULL,
  checkpoint jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (repository_id, stream)
);

-- The PostgreSQL state store's keys (statuses, subscriptions, webhook delivery ids, leases of the file layout).
CREATE TABLE git.collector_state (
  key text PRIMARY KEY,
  value text NOT NULL,
  expires_at timestamptz
);
