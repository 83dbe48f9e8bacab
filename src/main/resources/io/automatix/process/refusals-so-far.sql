-- How often the job's attempt was refused before, read under its row lock so that the delay after
-- this refusal (postpone-submission.sql, same transaction) follows from the count it sets.
SELECT refusals FROM jobs WHERE id = :id AND claimed_by = :router AND state = 'submitting' FOR UPDATE
