package io.automatix.ssh;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The openssh transport's command lines and socket paths, without a host. */
class OpenSshTransportTest {

    private static SshTarget target(Map<String, String> settings) {
        return SshTarget.fromSettings("brown", "automatix.clusters.brown.", settings);
    }

    @Test
    void theSettingsOverrideTheConfigurationAndClientsCannotConnectByThemselves() throws Exception {
        Path data = Files.createTempDirectory("openssh-test");
        OpenSshTransport t = new OpenSshTransport(
                target(Map.of(
                        "host", "brown-login",
                        "transport", "openssh",
                        "ssh-config", "/etc/site/ssh_config",
                        "user", "asterix",
                        "port", "2200",
                        "key", "/keys/id",
                        "known-hosts", "/keys/known_hosts")),
                data,
                new ConnectBudget(Clock.systemUTC()),
                Duration.ofSeconds(10),
                Clock.systemUTC());
        assertThat(t.sshCommand())
                .containsSequence("-F", "/etc/site/ssh_config")
                .containsSequence("-l", "asterix")
                .containsSequence("-p", "2200")
                .containsSequence("-i", "/keys/id")
                .containsSequence("-o", "UserKnownHostsFile=/keys/known_hosts")
                .containsSequence(
                        "-S", data.resolve("ssh/brown.sock").toAbsolutePath().toString())
                .containsSequence("-o", "ControlMaster=no")
                .containsSequence("-o", "ProxyCommand=false");
        assertThat(t.destination()).isEqualTo("brown-login");
        assertThat(t.masterCommand())
                .containsSequence("-o", "ControlMaster=yes")
                .containsSequence("-o", "ControlPersist=yes")
                .containsSequence("-N", "-f", "brown-login")
                .doesNotContain("-M"); // -M with ControlMaster=yes would ask before each session
        assertThat(t.environment()).containsEntry("SSH_AUTH_SOCK", null);
        assertThat(Files.getPosixFilePermissions(data.resolve("ssh"))).hasSize(3); // rwx------
    }

    @Test
    void aSocketPathTooLongForUnixGoesToAShortPrivateDirectory() throws Exception {
        Path deep = Files.createTempDirectory("openssh-test")
                .resolve("a".repeat(60))
                .resolve("ssh");
        Path socket = OpenSshTransport.socketPath(deep, "brown");
        assertThat(socket.toString()).hasSizeLessThan(60).endsWith(".sock");
        assertThat(socket.getParent()).isEqualTo(Path.of("/tmp", "automatix-" + System.getProperty("user.name")));
        assertThat(OpenSshTransport.socketPath(deep, "brown")).isEqualTo(socket);
        assertThat(OpenSshTransport.socketPath(deep, "green")).isNotEqualTo(socket);
        Path shallow = Path.of("/tmp/d/ssh");
        assertThat(OpenSshTransport.socketPath(shallow, "brown")).isEqualTo(Path.of("/tmp/d/ssh/brown.sock"));
    }
}
