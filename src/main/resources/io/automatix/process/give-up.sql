-- Nothing more will be tried for the job: what waited for its supervision goes on without it.
UPDATE jobs SET awaiting_supervision = false WHERE id = :id
