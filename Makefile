# The two commands of README.md, and a few helpers.
.PHONY: run test openapi check

## Build the web app and the server, start the platform on SQLite with demo data.
run:
	bash scripts/run.sh

## Run every test (Rust on SQLite + PostgreSQL, S3, reference data, web build, browser tests).
test:
	bash scripts/test.sh

## Refresh docs/openapi.json from the code and regenerate the web app's API types.
openapi:
	UPDATE_SNAPSHOTS=1 cargo test --test all openapi::
	cd web && npm run gen:api

## Quick local check: Rust tests only (needs TEST_DATABASE_URL for the PostgreSQL half).
check:
	cargo test --workspace
