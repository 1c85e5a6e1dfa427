#!/bin/sh
# Creates or upgrades the Temporal server's schemas in Postgres.
#
# Runs in the temporalio/admin-tools image (same version as temporalio/server)
# before the server starts, on every `up`: both steps are idempotent, and after
# a server upgrade they apply the new versioned schema changes. The databases
# themselves are created by docker/postgres/init-databases.sh.
#
# Connection settings come from the environment (read by temporal-sql-tool):
# SQL_PLUGIN, SQL_HOST, SQL_PORT, SQL_USER, SQL_PASSWORD.
set -eu

schemas=/etc/temporal/schema/postgresql/v12

for target in temporal:temporal temporal_visibility:visibility; do
  database=${target%%:*}
  schema=${target#*:}
  echo "Temporal schema: setting up database ${database}"
  temporal-sql-tool --database "$database" setup-schema -v 0.0
  temporal-sql-tool --database "$database" update-schema -d "$schemas/$schema/versioned"
done

echo "Temporal schema: up to date"
