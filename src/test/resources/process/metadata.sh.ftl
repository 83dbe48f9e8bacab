# Writes the run's metadata and name, one value per line, as the shell got them (each value is quoted).
printf '%s\n' ${run.metadata.note} ${run.metadata.quote} ${run.metadata.ticks} ${run.name} > metadata.out
