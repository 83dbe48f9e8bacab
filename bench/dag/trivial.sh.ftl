# Benchmark step: does nothing, so the makespan measures scheduling alone.
true
