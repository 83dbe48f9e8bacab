# hostile: run metadata that is not there

echo ${sh(run.metadata.nothere)}
