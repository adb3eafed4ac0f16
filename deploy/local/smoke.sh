#!/usr/bin/env bash
# deploy/local/smoke.sh: the job jar on a real local cluster, end to end.
#
# Builds (unless --no-build), starts a Kafka broker process and a Flink standalone session
# cluster (deploy/local/cluster.sh up), submits the shaded job jar with `flink run` (it creates
# the topics), writes a synthetic stream (`elapse generate`), reads the predictions back
# read_committed (`elapse tail`), prints PASS or FAIL, and tears everything down. Exits non-zero
# on failure. `mvn verify` runs it (deploy/local/pom.xml; skip with -DskipSmoke).
#
#   deploy/local/smoke.sh [--no-build]
# Knobs (environment): SMOKE_EVENTS (default 3000), SMOKE_RATE events/s (default 300).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CLUSTER="$HERE/cluster.sh"
# A work dir of its own, so a cluster the user started by hand is left alone.
export ELAPSE_LOCAL_DIR="${ELAPSE_LOCAL_DIR:-$HERE/target/smoke}"
EVENTS="${SMOKE_EVENTS:-3000}"
RATE="${SMOKE_RATE:-300}"

build=1
case "${1:-}" in
  --no-build) build=0 ;;
  "") ;;
  *)
    sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac

started=$SECONDS
say() { printf 'smoke: [%3ds] %s\n' $((SECONDS - started)) "$*"; }

verdict="FAIL"
reason="did not finish"
finish() {
  local rc=$?
  if [[ -n "${tail_pid:-}" ]]; then kill "$tail_pid" 2>/dev/null || true; fi
  "$CLUSTER" down || true
  if [[ "$verdict" != PASS ]]; then
    for f in "$ELAPSE_LOCAL_DIR"/log/{taskmanager,jobmanager}.log; do
      [[ -f "$f" ]] || continue
      echo "---- last errors in $f"
      grep -E ' (ERROR|WARN) ' "$f" | grep -v -e 'Name collision' -e 'Hadoop' | tail -n 15 || true
    done
  fi
  say "$verdict: $reason (logs in $ELAPSE_LOCAL_DIR/log)"
  [[ "$verdict" == PASS ]] && exit 0
  exit $((rc == 0 ? 1 : rc))
}
trap finish EXIT
trap 'reason="interrupted"; exit 130' INT TERM

if ((build)); then
  say "building"
  "$CLUSTER" build
fi

say "starting the broker and the Flink cluster"
# The cluster goes down with this script even if it is killed (watchdog on this pid).
ELAPSE_LOCAL_OWNER_PID=$$ "$CLUSTER" up
bootstrap="$("$CLUSTER" bootstrap)"

say "submitting the job jar"
reason="submission failed"
"$CLUSTER" submit -Delapse.checkpoint.interval=2s >/dev/null

reason="job not running"
deadline=$((SECONDS + 90))
until [[ "$("$CLUSTER" job-state || true)" == RUNNING ]]; do
  ((SECONDS < deadline)) || exit 1
  sleep 1
done

# Read predictions (read_committed) while the stream is written: tail stops after $EVENTS
# records, or 45 s after the last one.
predictions="$ELAPSE_LOCAL_DIR/predictions.jsonl"
"$CLUSTER" elapse tail elapse.predictions --bootstrap-servers "$bootstrap" --from-beginning \
  --max-records "$EVENTS" --timeout-ms 45000 >"$predictions" &
tail_pid=$!

say "producing $EVENTS synthetic events at $RATE/s, reading predictions"
reason="generate failed"
"$CLUSTER" elapse generate --bootstrap-servers "$bootstrap" --events "$EVENTS" --entities 200 \
  --rate "$RATE" --seed 11 2>&1 | tr '\r' '\n' | tail -n 1
reason="tail failed"
wait "$tail_pid"
count="$(grep -c '"type":"Prediction"' "$predictions" || true)"
undecodable="$(grep -c '"error"' "$predictions" || true)"
duplicates="$(grep -o '"eventId":"[^"]*"' "$predictions" | sort | uniq -d | wc -l | tr -d ' ')"
# The newest model version seen in predictions: > 0.0 means labels came back as model updates.
newest="$(grep -o '"epoch":[0-9]*,"step":[0-9]*' "$predictions" | tr -dc '0-9,\n' \
  | sort -t, -k1,1n -k2,2n | tail -n 1 | tr ',' '.')"
dead_note=""
if ((count < EVENTS)); then
  # Where did the rest go? Dead letters by reason.
  dead="$ELAPSE_LOCAL_DIR/dead-letters.jsonl"
  "$CLUSTER" elapse tail elapse.dead-letters --bootstrap-servers "$bootstrap" --from-beginning \
    --timeout-ms 3000 >"$dead" || true
  dead_note="; dead letters: $(wc -l <"$dead" | tr -d ' ') $(grep -o '"reason":"[a-z-]*"' "$dead" \
    | cut -d'"' -f4 | sort | uniq -c | awk '{printf "%s=%s ", $2, $1}' || true)"
fi
state="$("$CLUSTER" job-state || true)"
say "predictions: $count of $EVENTS events, $duplicates duplicated${dead_note}; newest model version: ${newest:-none}; job: ${state:-unknown}"
if ((count == 0)); then
  reason="no prediction arrived"
elif ((undecodable > 0)); then
  reason="$undecodable undecodable records on the prediction topic"
elif ((duplicates > 0)); then
  reason="$duplicates events predicted more than once (read_committed)"
elif [[ "$state" != RUNNING ]]; then
  reason="the job is $state, not RUNNING"
else
  verdict="PASS"
  reason="$count predictions arrived from the job jar on a standalone Flink cluster"
fi
