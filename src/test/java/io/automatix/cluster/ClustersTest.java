package io.automatix.cluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

import io.automatix.ssh.LocalShell;
import io.automatix.ssh.Transports;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClustersTest {

    private final Transports ssh = new Transports(Duration.ofSeconds(1)); // never started: nothing connects

    @Test
    void localExistsByDefaultAndSshClustersAreSlurm() {
        Properties p = new Properties();
        p.setProperty("automatix.clusters.brown.host", "brown.example.org");
        p.setProperty("automatix.clusters.brown.user", "asterix");
        p.setProperty("automatix.clusters.brown.scratch", "/scratch/asterix");
        Clusters clusters = Clusters.from(p, Path.of("data"), ssh);
        assertThat(clusters.all()).extracting(Cluster::name).containsExactly("brown", "local");
        Cluster brown = clusters.all().iterator().next();
        assertThat(brown.scheduler()).isEqualTo("slurm");
        assertThat(brown.ssh().portOrDefault()).isEqualTo(22);
        assertThat(brown.ssh().user()).isEqualTo("asterix");
        assertThat(brown.scratch()).isEqualTo(Path.of("/scratch/asterix"));
        Cluster local = clusters.all().stream()
                .filter(c -> c.name().equals("local"))
                .findFirst()
                .orElseThrow();
        assertThat(local.remote()).isFalse();
        assertThat(local.scratch()).isEqualTo(Path.of("data/scratch"));
    }

    @Test
    void aRemoteClusterIsReachedOverSshAndTheLocalOneOnThisHost() {
        Properties p = new Properties();
        p.setProperty("automatix.clusters.brown.host", "brown.example.org");
        p.setProperty("automatix.clusters.brown.user", "asterix");
        Clusters clusters = Clusters.from(p, Path.of("data"), ssh);
        assertThat(clusters.shell(clusters.get("local").orElseThrow())).isInstanceOf(LocalShell.class);
        assertThat(clusters.shell(clusters.get("brown").orElseThrow()).describe())
                .isEqualTo(clusters.get("brown").orElseThrow().ssh().toString());
    }

    @Test
    void typosAreStartupErrorsNamingTheKey() {
        Properties p = new Properties();
        p.setProperty("automatix.clusters.brown.hots", "x");
        assertThatThrownBy(() -> Clusters.from(p, Path.of("data"), ssh))
                .hasMessageContaining("automatix.clusters.brown.hots");
        Properties q = new Properties();
        q.setProperty("automatix.clusters.brown.scheduler", "pbs-pro");
        assertThatThrownBy(() -> Clusters.from(q, Path.of("data"), ssh))
                .hasMessageContaining("automatix.clusters.brown.scheduler");
    }

    @Test
    void aClustersMaxArraySizeIsItsSettingElseAskedOfItsScheduler() {
        Properties p = new Properties();
        p.setProperty("automatix.clusters.brown.host", "brown.example.org");
        p.setProperty("automatix.clusters.brown.max-array-size", "40001");
        Clusters clusters = Clusters.from(p, Path.of("data"), ssh);
        assertThat(clusters.get("brown").orElseThrow().maxArraySize()).isEqualTo(40001);
        assertThat(clusters.get("local").orElseThrow().maxArraySize()).isNull();
        Properties q = new Properties();
        q.setProperty("automatix.clusters.brown.max-array-size", "0");
        assertThatThrownBy(() -> Clusters.from(q, Path.of("data"), ssh))
                .hasMessage("bad cluster setting 'automatix.clusters.brown.max-array-size': '0' is not a positive"
                        + " number (SLURM's MaxArraySize; leave it out to ask scontrol)");
    }
}
