package dev.drover.playbook;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything {@code drover play} was told on its command line, validated. Field names follow
 * ansible-playbook's options.
 *
 * @param playbooks the playbook files, in order
 * @param inventories {@code -i}, in order (paths or host lists such as {@code "a,b,"}); empty: none given
 * @param limit {@code -l} pattern, or null
 * @param tags {@code -t} (split on commas); empty means all
 * @param skipTags {@code --skip-tags}
 * @param extraVars {@code -e} values merged in order (later wins), already parsed
 * @param connection {@code -c}, or null for the default
 * @param check {@code -C}
 * @param diff {@code -D}
 * @param forks {@code -f} (default 5, as Ansible)
 * @param verbosity number of {@code -v}
 * @param startAtTask {@code --start-at-task}, or null
 * @param step {@code --step}
 * @param remoteUser {@code -u}, or null
 * @param privateKey {@code --private-key}, or null
 * @param timeout {@code -T} connection timeout in seconds, or null
 * @param askPass {@code -k}
 * @param become {@code -b}
 * @param becomeUser {@code --become-user}, or null
 * @param becomeMethod {@code --become-method}, or null
 * @param askBecomePass {@code -K}
 * @param rolesPaths {@code --roles-path} entries (colon-separated values split)
 * @param forceHandlers {@code --force-handlers}
 * @param flushCache {@code --flush-cache}
 * @param vaultPasswordFiles {@code --vault-password-file}/{@code --vault-id} values
 * @param askVaultPass {@code --ask-vault-pass}
 * @param listHosts {@code --list-hosts}
 * @param listTasks {@code --list-tasks}
 * @param listTags {@code --list-tags}
 * @param syntaxCheck {@code --syntax-check}
 */
public record PlayOptions(List<Path> playbooks, List<String> inventories, String limit, Set<String> tags,
        Set<String> skipTags, Map<String, Object> extraVars, String connection, boolean check, boolean diff,
        int forks, int verbosity, String startAtTask, boolean step, String remoteUser, Path privateKey,
        Integer timeout, boolean askPass, boolean become, String becomeUser, String becomeMethod,
        boolean askBecomePass, List<Path> rolesPaths, boolean forceHandlers, boolean flushCache,
        List<String> vaultPasswordFiles, boolean askVaultPass, boolean listHosts, boolean listTasks,
        boolean listTags, boolean syntaxCheck) {

    public PlayOptions {
        playbooks = List.copyOf(playbooks);
        inventories = List.copyOf(inventories);
        tags = Set.copyOf(tags);
        skipTags = Set.copyOf(skipTags);
        extraVars = Maps.frozen(extraVars);
        rolesPaths = List.copyOf(rolesPaths);
        vaultPasswordFiles = List.copyOf(vaultPasswordFiles);
    }

    public TagFilter tagFilter() {
        return new TagFilter(tags, skipTags);
    }

    /** True when only a listing or a syntax check was asked for: nothing runs on any host. */
    public boolean listingOnly() {
        return listHosts || listTasks || listTags || syntaxCheck;
    }
}
