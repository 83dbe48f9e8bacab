package io.automatix.process;

import java.nio.file.Path;

import io.automatix.testing.TestServices;

/**
 * Jobs SLURM forgot while the router was down (see {@link ForgottenJobs}), concluded from their
 * status files and SLURM's accounting (slurmdbd on MariaDB), which also tells each job's node.
 */
class MinJobAgeIT extends ForgottenJobs {

    @Override
    int sshPort() {
        return TestServices.SSH_PORT;
    }

    @Override
    Path knownHosts() {
        return TestServices.SSH_KNOWN_HOSTS;
    }

    @Override
    boolean accounting() {
        return true;
    }
}
