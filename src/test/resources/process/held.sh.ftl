# Test template: runs (in the run's directory) until the file "release" is there, at most 5 minutes.
i=0
while [ ! -e release ] && [ "$i" -lt 300 ]; do sleep 1; i=$((i + 1)); done
[ -e release ]
