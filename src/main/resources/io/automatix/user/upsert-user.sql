-- Making a token for a user records the user, or gives it the role and groups asked for.
INSERT INTO users (name, role, groups, created_by)
VALUES (:name, :role, string_to_array(CAST(:groups AS text), ','), :created_by)
ON CONFLICT (name) DO UPDATE SET role = EXCLUDED.role, groups = EXCLUDED.groups
