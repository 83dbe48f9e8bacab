# Test template: sleeps long enough to be cancelled.
sleep 600
