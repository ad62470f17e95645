package dev.drover.playbook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drover.cli.PlayCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class PlayCommandTest {
    private static final String UNKNOWN = "src/test/resources/playbook/unknown/site.yml";

    private static final String FEATURES = "src/test/resources/playbook/features/main.yml";

    @Test
    void badOptionsGiveExitCode5WithoutStackTrace() {
        for (String[] args : List.of(new String[] {"play", "-f", "0", FEATURES},
                new String[] {"play", "-e", "novalue", FEATURES},
                new String[] {"play", "-c", "shh", FEATURES},
                new String[] {"play", "--become-method", "sudoo", FEATURES},
                new String[] {"play", "--no-such-flag", FEATURES},
                new String[] {"play"})) {
            Cli r = Cli.run(args);
            assertThat(r.exit()).as(String.join(" ", args) + "\n" + r.err()).isEqualTo(5);
            assertThat(r.err()).startsWith("ERROR: ").doesNotContain("\tat ");
        }
        assertThat(Cli.run("play", "-c", "shh", FEATURES).err()).contains("did you mean 'ssh'?");
    }

    @Test
    void missingPlaybookIsBadInput() {
        Cli r = Cli.run("play", "--syntax-check", "no/such/playbook.yml");
        assertThat(r.exit()).isEqualTo(4);
        assertThat(r.err().strip()).isEqualTo("ERROR: no/such/playbook.yml: the playbook was not found");
    }

    @Test
    void listingWarnsAboutEveryUnknownModuleWithItsPosition() {
        Cli r = Cli.run("play", "--syntax-check", UNKNOWN);
        assertThat(r.exit()).isZero();
        assertThat(r.err().strip().lines().toList()).containsExactly(
                "[WARNING]: " + UNKNOWN + ":5:7: unknown module 'community.general.pagerduty': Drover cannot run this task",
                "[WARNING]: " + UNKNOWN + ":7:7: unknown module 'amazon.aws.ec2_instance': Drover cannot run this task");
    }

    @Test
    void runRefusesToStartNamingEveryUnknownModule() {
        Cli r = Cli.run("play", "-i", "localhost,", "-c", "local", UNKNOWN);
        assertThat(r.exit()).isEqualTo(4);
        String line = r.err().strip();
        assertThat(line).startsWith("ERROR: " + UNKNOWN + ":5:7: cannot run: ")
                .contains("'community.general.pagerduty' at " + UNKNOWN + ":5:7")
                .contains("'amazon.aws.ec2_instance' at " + UNKNOWN + ":7:7");
        assertThat(r.err().lines().count()).isEqualTo(1);
        assertThat(r.out()).as("nothing ran").doesNotContain("PLAY [");
    }

    @Test
    void aWiredRunnerReceivesTheOptionsAndDecidesTheExitCode() {
        Path known = Path.of("src/test/resources/playbook/features/second.yml");
        List<PlayOptions> seen = new java.util.ArrayList<>();
        CommandLine cmd = new CommandLine(new PlayCommand(new PlayCommand.Wiring((options, books) -> {
            seen.add(options);
            return 42;
        }, new NativeActions(Set.of(), Set.of("debug")), List.of(), List.of(), null, Map.of())));
        assertThat(cmd.execute("-f", "7", known.toString())).isEqualTo(42);
        assertThat(seen).singleElement().extracting(PlayOptions::forks).isEqualTo(7);
    }

    @Test
    void runnerReceivesParsedOptionsAndLoadedPlaybooks() {
        List<PlayOptions> seen = new ArrayList<>();
        List<List<Playbook>> books = new ArrayList<>();
        PlaybookRunner runner = (o, p) -> {
            seen.add(o);
            books.add(p);
            return 2;
        };
        CommandLine cmd = new CommandLine(new PlayCommand(new PlayCommand.Wiring(runner, new NativeActions(Set.of(), Set.of("debug")), List.of(),
                List.of(), null, Map.of())));
        int code = cmd.execute("-i", "inv1", "-i", "a,b,", "-l", "db*", "-t", "a,b", "-t", "c", "--skip-tags", "never",
                "-e", "x=1 y='two words'", "-e", "{\"z\": [1, 2]}", "-e", "x=3", "-c", "local", "-C", "-D", "-f", "10",
                "-vvv", "--start-at-task", "Do it", "-u", "postgres", "-b", "--become-user", "root",
                "--become-method", "su", "--roles-path", "r1:r2", "--force-handlers", "--flush-cache", "--step",
                "-T", "30", "src/test/resources/playbook/features/second.yml");
        assertThat(code).isEqualTo(2);
        PlayOptions o = seen.get(0);
        assertThat(o.inventories()).containsExactly("inv1", "a,b,");
        assertThat(o.limit()).isEqualTo("db*");
        assertThat(o.tags()).containsExactlyInAnyOrder("a", "b", "c");
        assertThat(o.skipTags()).containsExactly("never");
        assertThat(o.extraVars()).containsEntry("x", "3").containsEntry("y", "two words")
                .containsEntry("z", List.of(1, 2));
        assertThat(o.connection()).isEqualTo("local");
        assertThat(o.check()).isTrue();
        assertThat(o.diff()).isTrue();
        assertThat(o.forks()).isEqualTo(10);
        assertThat(o.verbosity()).isEqualTo(3);
        assertThat(o.startAtTask()).isEqualTo("Do it");
        assertThat(o.remoteUser()).isEqualTo("postgres");
        assertThat(o.become()).isTrue();
        assertThat(o.becomeUser()).isEqualTo("root");
        assertThat(o.becomeMethod()).isEqualTo("su");
        assertThat(o.rolesPaths()).containsExactly(Path.of("r1"), Path.of("r2"));
        assertThat(o.forceHandlers() && o.flushCache() && o.step()).isTrue();
        assertThat(o.timeout()).isEqualTo(30);
        assertThat(o.listingOnly()).isFalse();
        assertThat(books.get(0)).hasSize(1);
        assertThat(books.get(0).get(0).plays().get(0).name()).isEqualTo("second playbook");
    }
}
