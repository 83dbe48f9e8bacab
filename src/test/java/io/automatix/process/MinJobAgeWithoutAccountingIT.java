package io.automatix.process;

import java.nio.file.Path;

import io.automatix.testing.LoginNodeWithoutAccounting;

/**
 * Jobs SLURM forgot while the router was down (see {@link ForgottenJobs}), at a site without
 * accounting: its login node's sacct says "Slurm accounting storage is disabled" (slurm.conf's
 * AccountingStorageType=accounting_storage/none, see {@link LoginNodeWithoutAccounting}), so
 * their status files alone conclude them, none lost for want of a sacct row.
 */
class MinJobAgeWithoutAccountingIT extends ForgottenJobs {

    private LoginNodeWithoutAccounting login;

    @Override
    int sshPort() throws Exception {
        if (login == null) {
            login = LoginNodeWithoutAccounting.start();
        }
        return login.port();
    }

    @Override
    Path knownHosts() {
        return login.knownHosts();
    }

    @Override
    boolean accounting() {
        return false;
    }

    @Override
    void closeLogin() throws Exception {
        if (login != null) {
            login.close();
        }
    }
}
