#!/usr/bin/env bash
# Adds a migration to the three providers' sets: ./migrations.sh NameOfChange
set -euo pipefail
cd "$(dirname "$0")"
name=${1:?usage: ./migrations.sh NameOfChange}
dotnet tool restore >/dev/null
dotnet ef migrations add "$name" --project Portal.Data --context SqlitePortalDbContext --output-dir Migrations/Sqlite
dotnet ef migrations add "$name" --project Portal.Data --context SqlServerPortalDbContext --output-dir Migrations/SqlServer --no-build
dotnet ef migrations add "$name" --project Portal.Data --context PostgresPortalDbContext --output-dir Migrations/Postgres --no-build
rm -f Portal.Data/design.db*
