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
}
