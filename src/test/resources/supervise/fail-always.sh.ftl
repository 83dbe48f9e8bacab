# Test template: always fails.
exit 4
