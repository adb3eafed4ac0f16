#!/usr/bin/env bash
# deploy/local/chaos.sh: faults on the real local cluster while the job runs (issue 8).
#
# Starts the broker and the Flink cluster (cluster.sh), submits the job jar, streams synthetic
# events, and mid-stream kills the TaskManager with SIGKILL and starts a new one, then stops and
# restarts the Kafka broker (same data and ports). When the job has caught up it checks, reading
# read_committed:
#   - every input event has exactly one committed prediction (or a dead letter), none twice;
#   - no label is lost: labels applied (the newest model's stats) + dead-lettered = produced;
#   - the model version continues after the restore (newer than the one before the kill);
#   - the job is RUNNING again.
# Prints a pass/fail table; exits 1 when a check fails. Not part of mvn verify (several minutes).
#
#   deploy/local/chaos.sh [--no-build]
# Knobs (environment): CHAOS_EVENTS (default 6000), CHAOS_RATE events/s (default 150).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CLUSTER="$HERE/cluster.sh"
export ELAPSE_LOCAL_DIR="${ELAPSE_LOCAL_DIR:-$HERE/target/chaos}"
EVENTS="${CHAOS_EVENTS:-6000}"
RATE="${CHAOS_RATE:-150}"
OUT="$ELAPSE_LOCAL_DIR/results"

build=1
case "${1:-}" in
  --no-build) build=0 ;;
  "") ;;
  *)
    sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac

started=$SECONDS
say() { printf 'chaos: [%3ds] %s\n' $((SECONDS - started)) "$*"; }

gen_pid=""
finish() {
  local rc=$?
  if [[ -n "$gen_pid" ]]; then kill "$gen_pid" 2>/dev/null || true; fi
  "$CLUSTER" down || true
  exit "$rc"
}
trap finish EXIT
trap 'exit 130' INT TERM

((build)) && "$CLUSTER" build
ELAPSE_LOCAL_OWNER_PID=$$ "$CLUSTER" up >/dev/null
bootstrap="$("$CLUSTER" bootstrap)"
mkdir -p "$OUT"
"$CLUSTER" submit -Delapse.checkpoint.interval=2s >/dev/null
deadline=$((SECONDS + 120))
until [[ "$("$CLUSTER" job-state || true)" == RUNNING ]]; do
  ((SECONDS < deadline)) || {
    say "the job did not start"
    exit 1
  }
  sleep 1
done

# newest model update: "epoch step labelsApplied" (empty when none yet)
model_figures() {
  local json
  json="$("$CLUSTER" elapse model inspect --bootstrap-servers "$bootstrap" --json 2>/dev/null)" || return 0
  printf '%s %s %s\n' "$(grep -oE '"epoch":[0-9]+' <<<"$json" | head -1 | cut -d: -f2)" \
    "$(grep -oE '"step":[0-9]+' <<<"$json" | head -1 | cut -d: -f2)" \
    "$(grep -oE '"labelsApplied":[0-9]+' <<<"$json" | head -1 | cut -d: -f2)"
}

await_running() {
  local deadline=$((SECONDS + 180))
  until [[ "$("$CLUSTER" job-state || true)" == RUNNING ]]; do
    ((SECONDS < deadline)) || return 1
    sleep 2
  done
}

say "streaming $EVENTS events at $RATE/s"
"$CLUSTER" elapse generate --bootstrap-servers "$bootstrap" --events "$EVENTS" --entities 300 \
  --rate "$RATE" --seed 13 >"$OUT/generate.out" 2>&1 &
gen_pid=$!

sleep 15
read -r before_epoch before_step before_applied <<<"$(model_figures)"
say "model before the faults: ${before_epoch:-?}.${before_step:-?} (${before_applied:-?} labels applied)"

say "kill -9 the TaskManager"
restored_before="$("$CLUSTER" restored-checkpoint || true)"
"$CLUSTER" kill taskmanager
sleep 3
"$CLUSTER" start taskmanager
# The JobManager notices the lost TaskManager (heartbeat timeout 15 s), then restores.
restored_after=""
deadline=$((SECONDS + 180))
while ((SECONDS < deadline)); do
  restored_after="$("$CLUSTER" restored-checkpoint || true)"
  [[ -n "$restored_after" && "$restored_after" != "$restored_before" ]] && break
  sleep 2
done
await_running || say "the job is not RUNNING again within 180 s"
say "job restored from checkpoint ${restored_after:-none}; state $("$CLUSTER" job-state || true)"

say "restart the Kafka broker"
"$CLUSTER" stop broker
sleep 3
"$CLUSTER" start broker

wait "$gen_pid" || say "generate exited non-zero (see $OUT/generate.out)"
gen_pid=""
produced_events="$(tr '\r' '\n' <"$OUT/generate.out" | grep -oE 'wrote [0-9,]+ events' | tail -1 | tr -dc '0-9')"
produced_labels="$(tr '\r' '\n' <"$OUT/generate.out" | grep -oE 'and [0-9,]+ labels' | tail -1 | tr -dc '0-9')"
say "produced ${produced_events:-?} events and ${produced_labels:-?} labels"
await_running || true

# Poll until every event and label is accounted for, or 4 minutes pass.
deadline=$((SECONDS + 240))
while :; do
  "$CLUSTER" elapse tail elapse.predictions --bootstrap-servers "$bootstrap" --from-beginning \
    --timeout-ms 8000 >"$OUT/predictions.jsonl" 2>/dev/null || true
  "$CLUSTER" elapse tail elapse.dead-letters --bootstrap-servers "$bootstrap" --from-beginning \
    --timeout-ms 5000 >"$OUT/dead-letters.jsonl" 2>/dev/null || true
  read -r after_epoch after_step after_applied <<<"$(model_figures)"
  predicted="$(grep -oE '"eventId":"[^"]*"' "$OUT/predictions.jsonl" | sort -u | wc -l | tr -d ' ')"
  prediction_records="$(grep -c '"type":"Prediction"' "$OUT/predictions.jsonl" || true)"
  event_dead="$(grep -c '"sourceTopic":"elapse.events"' "$OUT/dead-letters.jsonl" || true)"
  label_dead="$(grep -c '"sourceTopic":"elapse.labels"' "$OUT/dead-letters.jsonl" || true)"
  say "predicted $predicted (records $prediction_records), event dead letters $event_dead, labels applied ${after_applied:-?}, label dead letters $label_dead, model ${after_epoch:-?}.${after_step:-?}"
  if ((predicted + event_dead >= ${produced_events:-0})) \
    && ((${after_applied:-0} + label_dead >= ${produced_labels:-0})); then
    break
  fi
  ((SECONDS < deadline)) || break
  sleep 10
done
state="$("$CLUSTER" job-state || true)"

failures=0
row() { # check, expected, measured, ok
  local verdict=PASS
  [[ "$4" == 1 ]] || {
    verdict=FAIL
    failures=$((failures + 1))
  }
  printf '%-46s %-22s %-22s %s\n' "$1" "$2" "$3" "$verdict"
}
echo
printf '%-46s %-22s %-22s %s\n' CHECK EXPECTED MEASURED RESULT
row "events: one committed prediction or dead letter" "${produced_events:-?}" "$((predicted + event_dead)) ($predicted+$event_dead)" \
  "$([[ -n "$produced_events" ]] && ((predicted + event_dead == produced_events)) && echo 1)"
row "events predicted more than once" "0" "$((prediction_records - predicted))" \
  "$(((prediction_records == predicted)) && echo 1)"
row "labels: applied + dead-lettered = produced" "${produced_labels:-?}" "$((${after_applied:-0} + label_dead)) (${after_applied:-?}+$label_dead)" \
  "$([[ -n "$produced_labels" ]] && ((${after_applied:-0} + label_dead == produced_labels)) && echo 1)"
row "job restored from a checkpoint after the kill" "a checkpoint id" "${restored_after:-none}" \
  "$([[ -n "$restored_after" && "$restored_after" != "$restored_before" ]] && echo 1)"
row "model version continues after the restore" "> ${before_epoch:-?}.${before_step:-?}" "${after_epoch:-?}.${after_step:-?}" \
  "$([[ -n "${before_epoch:-}" && -n "${after_epoch:-}" ]] && ((after_epoch > before_epoch || (after_epoch == before_epoch && after_step > before_step))) && echo 1)"
row "job running after the faults" "RUNNING" "${state:-unknown}" "$([[ "$state" == RUNNING ]] && echo 1)"
echo
say "$([[ $failures == 0 ]] && echo PASS || echo "FAIL ($failures checks)"); records in $OUT"
((failures == 0))
