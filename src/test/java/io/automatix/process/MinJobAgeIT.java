package io.automatix.process;

/**
 * Jobs SLURM forgot while the router was down (see {@link ForgottenJobs}), concluded from their
 * status files and SLURM's accounting (slurmdbd on MariaDB), which also tells each job's node.
 */
class MinJobAgeIT extends ForgottenJobs {

    @Override
    String preamble() {
        return "";
    }

    @Override
    boolean accounting() {
        return true;
    }
}
