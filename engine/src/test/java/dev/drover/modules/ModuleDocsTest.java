package dev.drover.modules;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Every registered module has its page, and the page's argument table names every argument of its spec. */
class ModuleDocsTest {
    @Test
    void everyModuleHasAPageListingItsArguments() throws Exception {
        Path root = Path.of("").toAbsolutePath();
        Path docs = Files.isDirectory(root.resolve("docs")) ? root.resolve("docs/modules") : root.resolveSibling("docs/modules");
        ModuleRegistry reg = ModuleRegistry.standard();
        assertThat(reg.names()).hasSizeGreaterThanOrEqualTo(24);
        for (String name : reg.names()) {
            Path page = docs.resolve(name + ".md");
            assertThat(page).as("docs page for " + name).exists();
            String text = Files.readString(page);
            for (String h : new String[] {"## Arguments", "## Return values", "## Check mode and diff", "## Example",
                    "## Differences from Ansible"}) {
                assertThat(text).as(name + " " + h).contains(h);
            }
            for (ArgSpec.Arg a : reg.find(name).orElseThrow().spec().args()) {
                assertThat(text).as(name + " documents " + a.name()).contains("| `" + a.name() + "` |");
            }
        }
    }
}
