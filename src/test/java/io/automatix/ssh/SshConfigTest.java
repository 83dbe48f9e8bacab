package io.automatix.ssh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** The SSH configuration read as ssh(1) reads it, and the routes it gives. */
class SshConfigTest {

    @TempDir
    Path dir;

    private SshConfig config(String text) throws IOException {
        Path file = dir.resolve("config");
        Files.writeString(file, text);
        return SshConfig.read(file);
    }

    private static SshTarget target(String host, Path config, Map<String, String> more) {
        Map<String, String> s = new HashMap<>(more);
        s.put("host", host);
        if (config != null) {
            s.put("ssh-config", config.toString());
        }
        return SshTarget.fromSettings("brown", "automatix.clusters.brown.", s);
    }

    @Test
    void firstValueObtainedWinsAcrossAndWithinMatchingBlocks() throws IOException {
        SshConfig c = config("""
                # comment
                Host web
                    User first
                    User second
                    Port=2022
                Host w* !wx
                    User pattern
                    HostName "web.example.org"
                    IdentityFile ~/k1
                Host *
                    User everyone
                    Port 22
                    IdentityFile /k2
                    ServerAliveInterval 15 # keep-alive
                """);
        Map<String, List<String>> web = c.settings("web");
        assertThat(web.get("user")).containsExactly("first");
        assertThat(web.get("port")).containsExactly("2022");
        assertThat(web.get("hostname")).containsExactly("web.example.org");
        assertThat(web.get("identityfile")).containsExactly("~/k1", "/k2");
        assertThat(web.get("serveraliveinterval")).containsExactly("15");
        // a negated pattern excludes the host from its block
        assertThat(c.value("wx", "User")).isEqualTo("everyone");
        assertThat(c.value("WEB", "user")).isEqualTo("first");
    }

    @Test
    void globalLinesIncludeAndMatch() throws IOException {
        Files.writeString(dir.resolve("extra.conf"), "Host inc\n  User included\n");
        SshConfig c = config("Compression yes\nInclude " + dir.resolve("*.conf") + "\nMatch host m?\n  User matched\n"
                + "Match exec true\n  User never\nMatch all\n  User all\n");
        assertThat(c.value("anything", "compression")).isEqualTo("yes");
        assertThat(c.value("inc", "user")).isEqualTo("included");
        assertThat(c.value("m1", "user")).isEqualTo("matched");
        assertThat(c.value("other", "user")).isEqualTo("all");
    }

    @Test
    void wildcards() {
        assertThat(SshConfig.wildcard("amx-login", "amx-*")).isTrue();
        assertThat(SshConfig.wildcard("amx-login", "amx-l?gin")).isTrue();
        assertThat(SshConfig.wildcard("amx", "amx-*")).isFalse();
        assertThat(SshConfig.wildcard("a.b.c", "*.c")).isTrue();
        assertThat(SshConfig.matchesList("x", List.of("*", "!x"))).isFalse();
    }

    @Test
    void routeThroughTwoHopsTheFirstByItsOwnProxyJump() throws IOException {
        Path file = dir.resolve("config");
        Files.writeString(file, """
                Host gate
                    HostName 10.0.0.1
                Host acq
                    HostName 10.0.1.3
                    ProxyJump gate
                    User acquser
                Host login
                    HostName 10.0.1.2
                    ProxyJump acq,inner:2201
                Host inner
                    ProxyJump nowhere
                    User inneruser
                Host *
                    User someone
                    IdentityFile /keys/%r@%h
                    UserKnownHostsFile /kh/known_hosts
                    ServerAliveInterval 15
                """);
        SshRoute route = SshRoute.resolve(target("login", file, Map.of()), SshConfig.read(file));
        assertThat(route.hops()).extracting(SshRoute.Hop::name).containsExactly("gate", "acq", "inner", "login");
        SshRoute.Hop gate = route.hops().get(0);
        assertThat(gate.hostName()).isEqualTo("10.0.0.1");
        assertThat(gate.user()).isEqualTo("someone");
        assertThat(gate.identityFiles()).containsExactly(Path.of("/keys/someone@10.0.0.1"));
        assertThat(gate.knownHosts()).isEqualTo(Path.of("/kh/known_hosts"));
        assertThat(gate.aliveInterval()).isEqualTo(Duration.ofSeconds(15));
        SshRoute.Hop inner = route.hops().get(2);
        assertThat(inner.port()).isEqualTo(2201);
        assertThat(inner.user()).isEqualTo("inneruser");
        assertThat(inner.knownHostsName()).isEqualTo("[inner]:2201");
        assertThat(route.describe(0)).isEqualTo("ProxyJump hop 1 of 3, gate (10.0.0.1:22)");
        assertThat(route.describe(3)).startsWith("target login (10.0.1.2:22)");
    }

    @Test
    void explicitSettingsOverrideTheFileForTheTargetOnly() throws IOException {
        Path file = dir.resolve("config");
        Files.writeString(file, """
                Host login
                    HostName 10.0.1.2
                    Port 2200
                    User fromfile
                    ProxyJump gate
                    IdentityFile /file/key
                Host *
                    UserKnownHostsFile /kh/file
                """);
        SshRoute route = SshRoute.resolve(
                target(
                        "login",
                        file,
                        Map.of(
                                "port",
                                "2022",
                                "user",
                                "explicit",
                                "key",
                                "/explicit/key",
                                "known-hosts",
                                "/kh/explicit")),
                SshConfig.read(file));
        SshRoute.Hop login = route.target();
        assertThat(login.port()).isEqualTo(2022);
        assertThat(login.user()).isEqualTo("explicit");
        assertThat(login.identityFiles()).containsExactly(Path.of("/explicit/key"), Path.of("/file/key"));
        assertThat(login.explicitKey()).isTrue();
        assertThat(login.knownHosts()).isEqualTo(Path.of("/kh/explicit"));
        SshRoute.Hop gate = route.hops().get(0);
        assertThat(gate.user()).isEqualTo(System.getProperty("user.name"));
        assertThat(gate.knownHosts()).isEqualTo(Path.of("/kh/explicit"));
        assertThat(gate.explicitKey()).isFalse();
    }

    @Test
    void withoutAConfigurationTheSettingsAlone() throws IOException {
        SshRoute route = SshRoute.resolve(
                target("127.0.0.1", null, Map.of("port", "2222", "user", "u", "key", "/k")), SshConfig.none());
        assertThat(route.hops()).hasSize(1);
        assertThat(route.target().describe()).isEqualTo("127.0.0.1:2222");
        assertThat(route.target().knownHosts())
                .isEqualTo(Path.of(System.getProperty("user.home"), ".ssh", "known_hosts"));
    }
}
