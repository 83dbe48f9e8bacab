package io.automatix.scheduler;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.automatix.ssh.LocalShell;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BatchSystemsTest {

    @Test
    void aClustersSchedulerNamePicksItsBatchSystem() {
        assertThat(BatchSystems.names()).containsExactly("local", "slurm");
        assertThat(BatchSystems.get("slurm")).isInstanceOf(SlurmBatchSystem.class);
        assertThat(BatchSystems.scheduler("slurm", new LocalShell(), Duration.ofSeconds(1))
                        .supportsArrays())
                .isTrue();
        assertThat(BatchSystems.scheduler("local", new LocalShell(), Duration.ofSeconds(1))
                        .supportsArrays())
                .isFalse();
    }

    @Test
    void anUnknownNameSaysWhichAreKnown() {
        assertThatThrownBy(() -> BatchSystems.get("pbs"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown batch system 'pbs': the known ones are local, slurm");
    }

    @Test
    void cancelCommandsTakeOnlyTheBatchSystemsIds() {
        assertThat(new SlurmBatchSystem().cancelCommand(List.of("17", "22_3", "-x", "1;2")))
                .containsExactly("ax_scancel", "17", "22_3");
        assertThat(new SlurmBatchSystem().cancelCommand(List.of("-x"))).isEmpty();
        assertThat(new LocalBatchSystem().cancelCommand(List.of("4242", "22_3")))
                .containsExactly("ax_cancel", "4242");
        assertThat(new LocalBatchSystem().cancelCommand(List.of())).isEmpty();
    }

    @Test
    void aStepsResourcesBecomeTheBatchSystemsDirectives() {
        Map<String, String> resources = new LinkedHashMap<>();
        resources.put("mem", "4G");
        resources.put("cpus-per-task", "2");
        assertThat(new SlurmBatchSystem().directives(resources))
                .containsExactly("#SBATCH --mem=4G", "#SBATCH --cpus-per-task=2");
        assertThat(new LocalBatchSystem().directives(resources)).isEmpty();
    }

    @Test
    void anArrayIsAskedForWithItsTasksFromZeroAndItsThrottle() {
        SiteSettings site = SiteSettings.none("slurm");
        SlurmBatchSystem slurm = new SlurmBatchSystem();
        JobSubmission chunk = new JobSubmission(
                "wf-1.fan.1.c1", "/s", "#!/bin/sh\n", null, Duration.ofMinutes(5), Map.of(), false, null, 1001, 50);
        assertThat(slurm.submitCommand(chunk, site))
                .contains("--array=0-1000%50")
                .endsWith("wf-1.fan.1.c1.sh");
        assertThat(slurm.arraySpec(chunk)).isEqualTo("0-1000%50");
        JobSubmission unthrottled = new JobSubmission(
                "wf-1.fan.1", "/s", "#!/bin/sh\n", null, Duration.ofMinutes(5), Map.of(), false, null, 498);
        assertThat(slurm.submitCommand(unthrottled, site)).contains("--array=0-497");
        JobSubmission single =
                new JobSubmission("r.LF.1", "/s", "#!/bin/sh\n", null, Duration.ofMinutes(5), Map.of(), false);
        assertThat(slurm.submitCommand(single, site)).noneMatch(a -> a.startsWith("--array"));
        assertThat(slurm.arraySpec(single)).isEqualTo("0");
    }

    @Test
    void slurmsMaxArraySizeIsReadFromItsConfiguration() {
        SlurmBatchSystem slurm = new SlurmBatchSystem();
        assertThat(slurm.configCommand()).containsExactly("scontrol", "show", "config");
        String config = "Configuration data as of 2026-12-02T15:52:54\n"
                + "MaxArrayJobs            = 99\n"
                + "MaxArraySize            = 1001\n"
                + "MaxJobCount             = 10000\n";
        assertThat(slurm.maxArraySize(config)).hasValue(1001);
        assertThat(slurm.maxArraySize("MaxJobCount = 10000\n")).isEmpty();
        assertThat(new LocalBatchSystem().configCommand()).isEmpty();
    }
}
