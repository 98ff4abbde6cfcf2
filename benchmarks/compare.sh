#!/bin/bash
# Every load runner on one tree, for a before/after comparison (docs/benchmarks.md, issue 14):
#   SCALE=0.05 DUR=5 benchmarks/compare.sh /path/to/tree before gen   # data for events, commons
#   SCALE=0.05 DUR=5 benchmarks/compare.sh /path/to/tree before run   # every runner, --signed-in
# TREE is a checkout with its own .venv (make install); each tree gets its own databases
# (cmp_<runner>_<TAG>), so two versions never share a schema. Reports go to $OUT.
set -u
TREE=$1; TAG=$2; MODE=$3
SCALE=${SCALE:-0.05}; DUR=${DUR:-5}
OUT=${OUT:-/tmp/cocity-compare/$TAG}; mkdir -p $OUT
cd $TREE
PY=$TREE/.venv/bin/python
export SECRET_KEY=bench-compare-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx
for app in core events plans commons pledges; do
  DB=cmp_${app}_$TAG
  URL=postgres://postgres@127.0.0.1:5432/$DB
  if [ "$MODE" = gen ]; then
    case $app in
      events|commons)
        psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
        DJANGO_SETTINGS_MODULE=cocity.settings.local DATABASE_URL=$URL $TREE/.venv/bin/cocity migrate -v0
        DJANGO_SETTINGS_MODULE=cocity.settings.production ALLOWED_HOSTS=localhost DATABASE_URL=$URL $PY benchmarks/$app/generate.py --scale $SCALE > $OUT/gen-$app.log 2>&1 || echo "gen $app failed" ;;
      *) : ;;  # core, plans, pledges generate in their runner (first run without --reuse)
    esac
  else
    case $app in
      core) args="--scale $SCALE --database $DB"; script=benchmarks/run.py ;;
      plans|pledges) args="--scale $SCALE --database $DB"; script=benchmarks/$app/run.py ;;
      *) args="--database $DB"; script=benchmarks/$app/run.py ;;
    esac
    [ -f $OUT/.generated-$app ] && case $app in core|plans|pledges) args="$args --reuse";; esac
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres $PY $script $args --duration $DUR --signed-in > $OUT/run-$app.log 2>&1 && touch $OUT/.generated-$app
    cp benchmarks/results/$( [ $app = core ] && echo latest || echo $app ).md $OUT/$app.md 2>/dev/null
    echo "$app done: $(tail -1 $OUT/run-$app.log)"
  fi
done
