package io.automatix.testing;

import java.util.List;

import io.automatix.process.SubmissionObserver;
import io.automatix.scheduler.SubmitResult;
import org.slf4j.LoggerFactory;

/**
 * Fault injection: the router halts the moment the scheduler has answered a submission, before the
 * job ids are recorded. Bound by camel-main from {@code camel.beans.haltAfterSubmit=#class:...} in a router started by {@link RouterProcess#startWithTestClasses}.
 */
public final class HaltAfterSubmit implements SubmissionObserver {

    @Override
    public void answered(String cluster, List<SubmitResult> results) {
        LoggerFactory.getLogger(HaltAfterSubmit.class)
                .error(
                        "Fault injection: halting between sbatch and recording its job ids ({} on {})",
                        results,
                        cluster);
        Runtime.getRuntime().halt(137);
    }
}
