# Hostile template: quotes a value that does not exist.
echo ${sh(no_such_value)}
