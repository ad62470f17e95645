package dev.drover.playbook;

import java.nio.file.Path;
import java.util.List;

/**
 * Where a task sits, for a {@link ModuleSource} that looks modules up in places as Ansible does
 * ({@code library/} beside the playbook and in roles, collections).
 *
 * @param playbookDir the directory of the playbook the task's play comes from (for a task file loaded by
 *     {@code include_tasks} at run time: that file's directory)
 * @param file the file the task is written in
 * @param roleDirs the directories of the roles the task is inside, innermost first: its own role, then the
 *     role that imported or depends on it, and so on; empty outside roles
 * @param collections the task's collection search list as Ansible computes it: the nearest {@code collections:}
 *     keyword (the task's, its blocks', else its role's — a collection role's own collection first, then the
 *     role's {@code meta/main.yml} {@code collections} — else its play's; roles do not inherit the play's), with
 *     {@code ansible.legacy} (for a collection role, {@code ansible.builtin}) appended when neither is listed;
 *     empty when nothing sets it
 */
public record TaskPlace(Path playbookDir, Path file, List<Path> roleDirs, List<String> collections) {
    public TaskPlace {
        roleDirs = List.copyOf(roleDirs);
        collections = List.copyOf(collections);
    }
}
