package io.automatix.process;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import io.automatix.testing.TestServices;

/**
 * Jobs SLURM forgot while the router was down (see {@link ForgottenJobs}), at a site without
 * accounting: the cluster's preamble points SLURM_CONF at a copy of slurm.conf with
 * AccountingStorageType=accounting_storage/none, so its sacct says "Slurm accounting storage is
 * disabled" while squeue and sbatch reach the same slurmctld (the machine's accounting stays on
 * for every other test), and their status files alone conclude them, none lost for want of a sacct
 * row.
 */
class MinJobAgeWithoutAccountingIT extends ForgottenJobs {

    @Override
    String preamble() throws Exception {
        Path dir = TestServices.sharedDirectory("no-accounting", false);
        Path slurmConf = dir.resolve("slurm.conf");
        Files.writeString(
                slurmConf,
                Files.readString(Path.of("/etc/slurm/slurm.conf"))
                        .replaceAll("(?m)^AccountingStorage(Host|Enforce|Port)=.*\\n", "")
                        .replaceAll("(?m)^AccountingStorageType=.*$", "AccountingStorageType=accounting_storage/none"));
        Files.setPosixFilePermissions(slurmConf, PosixFilePermissions.fromString("rw-r--r--"));
        return "SLURM_CONF=" + slurmConf + "; export SLURM_CONF";
    }

    @Override
    boolean accounting() {
        return false;
    }
}
