#!/bin/sh
# Creates Keywarden's and Temporal's databases, each with its own login role.
#
# Run by the official postgres image from /docker-entrypoint-initdb.d, once,
# when the data volume is first initialised (later starts skip it: to change a
# password afterwards use ALTER ROLE). The entrypoint sources this file when it
# is not executable, so it sets no shell options and never calls exit.
#
#   keywarden            owned by role keywarden  (password KEYWARDEN_DB_PASSWORD)
#   temporal             owned by role temporal   (password TEMPORAL_DB_PASSWORD)
#   temporal_visibility  owned by role temporal
#
# Neither role is a superuser; owning its databases lets each create its own
# tables (Keywarden's migrations, Temporal's schema tool).

: "${KEYWARDEN_DB_PASSWORD:?KEYWARDEN_DB_PASSWORD must be set for the postgres service}"
: "${TEMPORAL_DB_PASSWORD:?TEMPORAL_DB_PASSWORD must be set for the postgres service}"

psql -v ON_ERROR_STOP=1 \
  --username "${POSTGRES_USER:-postgres}" \
  --dbname postgres \
  --set keywarden_password="$KEYWARDEN_DB_PASSWORD" \
  --set temporal_password="$TEMPORAL_DB_PASSWORD" <<'SQL'
CREATE ROLE keywarden LOGIN PASSWORD :'keywarden_password';
CREATE DATABASE keywarden OWNER keywarden;

CREATE ROLE temporal LOGIN PASSWORD :'temporal_password';
CREATE DATABASE temporal OWNER temporal;
CREATE DATABASE temporal_visibility OWNER temporal;
SQL
