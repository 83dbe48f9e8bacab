package io.automatix.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The allow-list of directories, on the real file system (links included). */
class RootsTest {

    @TempDir
    Path dir;

    private Roots roots(String value) {
        return Roots.parse(
                "automatix.sources.local.roots",
                value,
                dir.resolve("data"),
                Map.of(dir.resolve("data"), "data directory"),
                "the roots of source 'local'",
                "put the run under one of them");
    }

    @Test
    void settingsAreAbsoluteOrUnderTheDataDirectoryAndNeverSlash() {
        assertThat(roots("/data/acq, incoming").paths())
                .containsExactly(Path.of("/data/acq"), dir.resolve("data/incoming"));
        assertThatThrownBy(() -> roots("/")).hasMessageContaining("'/' would let runs read or write every file");
        assertThatThrownBy(() -> roots("/data/../etc")).hasMessageContaining("contains '..'");
        assertThatThrownBy(() -> roots(" ")).hasMessageContaining("is required");
        assertThatThrownBy(() -> Roots.parse("k", "relative", null, Map.of(), "the roots of source 'daq'", "x"))
                .hasMessageContaining("not an absolute directory");
    }

    @Test
    void theLexicalCheckSaysWhatToDo() {
        assertThat(roots("/data/acq").outside("source_path", "/data/acq/run_1")).isEmpty();
        assertThat(roots("/data/acq").outside("source_path", "/data/acq//run_1/"))
                .isEmpty();
        assertThat(roots("/data/acq").outside("source_path", "/root/.ssh"))
                .hasValue("source_path /root/.ssh is outside the roots of source 'local' (/data/acq): put the run"
                        + " under one of them or add a root to automatix.sources.local.roots");
        assertThat(roots("/data/acq").outside("source_path", "/data/acqx")).isPresent();
        assertThat(roots("/data/acq").outside("source_path", "/data/acq/../../etc"))
                .hasValueSatisfying(r -> assertThat(r).contains("contains '..'"));
    }

    @Test
    void linksOutAreRefusedAndLinksWithinResolve() throws Exception {
        Path root = Files.createDirectories(dir.resolve("acq"));
        Path secret = Files.createDirectories(dir.resolve("secret"));
        Files.createDirectories(root.resolve("real"));
        Files.createSymbolicLink(root.resolve("out"), secret);
        Files.createSymbolicLink(root.resolve("in"), root.resolve("real"));
        Files.createSymbolicLink(root.resolve("nowhere"), dir.resolve("gone"));
        Roots roots = roots(root.toString());
        assertThat(roots.resolveLocal("source_path", root + "/in", true)).isEqualTo(root.resolve("real"));
        assertThatThrownBy(() -> roots.resolveLocal("source_path", root + "/out", true))
                .isInstanceOf(Roots.Refused.class)
                .hasMessageContaining("resolves to " + secret + " (through a symbolic link), which is outside");
        assertThatThrownBy(() -> roots.resolveLocal("source_path", root + "/out/later", false))
                .hasMessageContaining("resolves to " + secret.resolve("later"));
        assertThatThrownBy(() -> roots.resolveLocal("source_path", root + "/nowhere", false))
                .hasMessageContaining("cannot be resolved");
        assertThatThrownBy(() -> roots.resolveLocal("source_path", root + "/missing", true))
                .hasMessageContaining("No such file or directory");
        assertThat(roots.resolveLocal("directory", root + "/not/yet", false)).isEqualTo(root.resolve("not/yet"));
    }

    @Test
    void theRoutersOwnDirectoriesStayOutUnlessARootIsWithinThem() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data/incoming"));
        Roots wide = roots(dir.toString());
        assertThatThrownBy(() -> wide.resolveLocal("source_path", dir + "/data/api-token", false))
                .hasMessageContaining("inside the router's own data directory");
        assertThat(roots(dir + ", incoming").resolveLocal("source_path", data + "/run_1", false))
                .isEqualTo(data.resolve("run_1"));
        assertThat(wide.resolveLocal("source_path", dir + "/elsewhere", false)).isEqualTo(dir.resolve("elsewhere"));
    }

    @Test
    void aRemoteHostsAnswerIsCheckedAgainstItsResolvedRoots() {
        Roots roots = Roots.parse(
                "automatix.sources.daq.roots",
                "/data",
                null,
                Map.of(),
                "the roots of source 'daq'",
                "put the run under one of them");
        assertThat(roots.outsideResolved("source_path", "/data/r1", "/mnt/big/r1", List.of("/mnt/big")))
                .isEmpty();
        assertThat(roots.outsideResolved("source_path", "/data/r1", "/etc", List.of("/mnt/big")))
                .hasValueSatisfying(r -> assertThat(r).contains("resolves to /etc"));
    }
}
