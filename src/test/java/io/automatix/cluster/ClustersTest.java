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
    void siteSettingsAreEachClustersWithTheGlobalOnesAsDefault() {
        Properties p = new Properties();
        p.setProperty("automatix.process.partition-rules", "standby<=4h, physics");
        p.setProperty("automatix.process.account", "automatix");
        p.setProperty("automatix.process.poll-min-ms", "500");
        p.setProperty("automatix.clusters.a.host", "a.example.org");
        p.setProperty("automatix.clusters.b.host", "b.example.org");
        p.setProperty("automatix.clusters.b.partition-rules", "debug<=30m, long");
        p.setProperty("automatix.clusters.b.account", "lab-b");
        p.setProperty("automatix.clusters.b.qos", "normal");
        p.setProperty("automatix.clusters.b.preamble", "module load slurm");
        p.setProperty("automatix.clusters.b.submit-options", "--constraint=haswell --exclusive");
        p.setProperty("automatix.clusters.b.submit-options-unchecked", "--x-site=1");
        p.setProperty("automatix.clusters.b.slurm-clusters", "kupe,maui");
        p.setProperty("automatix.clusters.b.job-umask", "0027");
        p.setProperty("automatix.clusters.b.job-group", "geo-science");
        p.setProperty("automatix.clusters.b.poll-max-ms", "10000");
        p.setProperty("automatix.clusters.b.run-dir", "{scratch}/runs/{run}");
        p.setProperty("automatix.clusters.b.job-dir", "/home/asterix/jobs/{run}");
        p.setProperty("automatix.clusters.b.scratch", "/scratch");
        Clusters clusters = Clusters.from(p, Path.of("data"), ssh);
        Cluster a = clusters.get("a").orElseThrow();
        Cluster b = clusters.get("b").orElseThrow();
        assertThat(a.site().partitions().choose(Duration.ofHours(5))).isEqualTo("physics");
        assertThat(b.site().partitions().choose(Duration.ofMinutes(20))).isEqualTo("debug");
        assertThat(a.site().requests()).containsExactly(java.util.Map.entry("account", "automatix"));
        assertThat(b.site().requests()).containsEntry("account", "lab-b").containsEntry("qos", "normal");
        assertThat(a.site().preamble()).isEmpty();
        assertThat(b.site().preamble()).isEqualTo("module load slurm");
        assertThat(b.site().submitOptions()).containsExactly("--constraint=haswell", "--exclusive", "--x-site=1");
        assertThat(b.site().slurmClusters()).isEqualTo("kupe,maui");
        assertThat(b.site().umask()).isEqualTo("0027");
        assertThat(b.site().group()).isEqualTo("geo-science");
        assertThat(a.site().pollMin()).isEqualTo(Duration.ofMillis(500));
        assertThat(a.site().pollMax()).isEqualTo(Duration.ofSeconds(60));
        assertThat(b.site().pollMax()).isEqualTo(Duration.ofSeconds(10));
        assertThat(a.runDirectory("r1")).isEqualTo("scratch/r1");
        assertThat(a.jobDirectory("r1")).isEqualTo("scratch/r1/.automatix");
        assertThat(b.runDirectory("r1")).isEqualTo("/scratch/runs/r1");
        assertThat(b.jobDirectory("r1")).isEqualTo("/home/asterix/jobs/r1");
    }

    @Test
    void badSiteSettingsNameTheSettingAndWhatToDo() {
        assertThatThrownBy(() -> cluster("submit-options", "--wrap=id"))
                .hasMessageContaining("automatix.clusters.b.submit-options")
                .hasMessageContaining("'--wrap=id' is not one of the options")
                .hasMessageContaining("automatix.clusters.b.submit-options-unchecked");
        assertThatThrownBy(() -> cluster("submit-options", "constraint=x")).hasMessageContaining("--name=value");
        assertThatThrownBy(() -> cluster("account", "lab a; rm -rf /"))
                .hasMessageContaining("automatix.clusters.b.account");
        assertThatThrownBy(() -> cluster("job-umask", "777x")).hasMessageContaining("octal umask");
        assertThatThrownBy(() -> cluster("run-dir", "{scratch}/{run}/data")).hasMessageContaining("ends in /{run}");
        assertThatThrownBy(() -> cluster("job-dir", "{home}/{run}")).hasMessageContaining("job-dir");
        assertThatThrownBy(() -> cluster("job-dir", "{run-dir}/../{run}")).hasMessageContaining("job-dir");
        assertThatThrownBy(() -> cluster("poll-max-ms", "100")).hasMessageContaining("less than poll-min-ms");
        Properties p = new Properties();
        p.setProperty("automatix.clusters.l.scheduler", "local");
        p.setProperty("automatix.clusters.l.slurm-clusters", "kupe");
        assertThatThrownBy(() -> Clusters.from(p, Path.of("data"), ssh)).hasMessageContaining("for SLURM only");
        Properties g = new Properties();
        g.setProperty("automatix.process.partition-rules", "standby<=soon");
        assertThatThrownBy(() -> Clusters.from(g, Path.of("data"), ssh))
                .hasMessageContaining("automatix.process.partition-rules");
    }

    private Clusters cluster(String key, String value) {
        Properties p = new Properties();
        p.setProperty("automatix.clusters.b.host", "b.example.org");
        p.setProperty("automatix.clusters.b." + key, value);
        return Clusters.from(p, Path.of("data"), ssh);
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
