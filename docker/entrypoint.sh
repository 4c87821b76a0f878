#!/bin/sh
# One image, several processes: the first argument names the process, so the
# same build runs as the API, the worker or the one-shot migration.
#   api      the HTTP API (default)
#   worker   queue consumers and the outbox relay
#   migrate  applies pending migrations (DATABASE_OWNER_URL), then exits
#   cli ...  any operator command, e.g. `cli db:setup`, `cli clinic:create`
# Anything else is run as given (e.g. `sh` to look around).
# `exec` makes node the process that receives SIGTERM, so graceful shutdown works.
set -eu

cd /app
if [ "$#" -eq 0 ]; then
  set -- api
fi

case "$1" in
  api)
    shift
    exec node dist/apps/api/src/main.js "$@"
    ;;
  worker)
    shift
    exec node dist/apps/worker/src/main.js "$@"
    ;;
  migrate)
    shift
    exec node dist/apps/cli/src/main.js migrate "$@"
    ;;
  cli)
    shift
    exec node dist/apps/cli/src/main.js "$@"
    ;;
  *)
    exec "$@"
    ;;
esac
