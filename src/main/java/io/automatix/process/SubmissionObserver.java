package io.automatix.process;

import java.util.List;

import io.automatix.scheduler.SubmitResult;

/**
 * Told what the scheduler answered to a submission, before the engine records it: the one moment a
 * router must survive dying in (the jobs exist in the scheduler, the database does not know yet).
 * Production binds none; the recovery tests bind one that halts the router there.
 */
@FunctionalInterface
public interface SubmissionObserver {

    SubmissionObserver NONE = (cluster, results) -> {};

    void answered(String cluster, List<SubmitResult> results);
}
