package dev.drover.exec;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * What the run knows of one host: facts, set_fact/registered variables, failure state, notified handlers and
 * recap counters. Updated by the host's own task thread; read by other hosts' templates (hostvars), hence
 * synchronized maps (which, unlike concurrent ones, hold Python's None as null).
 */
final class HostState {
    final String name;
    /** {@code ansible_facts}: gathered facts and cacheable set_facts. */
    final Map<String, Object> facts = Collections.synchronizedMap(new java.util.LinkedHashMap<>());
    /** set_fact and register: the "set_facts / registered vars" precedence level. */
    final Map<String, Object> hostVars = Collections.synchronizedMap(new java.util.LinkedHashMap<>());
    /** include_vars results: just below set_facts. */
    final Map<String, Object> includeVars = Collections.synchronizedMap(new java.util.LinkedHashMap<>());
    final Set<String> notified = Collections.synchronizedSet(new LinkedHashSet<>());

    volatile boolean failed;
    volatile boolean unreachable;
    /** {@code meta: end_host}: no more tasks for this host in this play. */
    volatile boolean ended;
    volatile boolean factsGathered;
    /** {@code meta: end_role}: the role (by directory) whose remaining tasks this host skips. */
    volatile java.nio.file.Path endedRole;
    /** The last failed task and its result: {@code ansible_failed_task}/{@code ansible_failed_result} in rescue. */
    volatile Map<String, Object> lastFailedTask;
    volatile Map<String, Object> lastFailedResult;

    /** Whether any task result was counted: only such hosts appear in the recap, as in Ansible. */
    boolean processed;
    int ok;
    int changed;
    int unreachableCount;
    int failedCount;
    int skipped;
    int rescued;
    int ignored;

    HostState(String name) {
        this.name = name;
    }

    /** Still taking tasks in the current play. */
    boolean active() {
        return !failed && !unreachable && !ended;
    }

    synchronized boolean processed() {
        return processed;
    }

    synchronized dev.drover.report.HostStats stats() {
        return new dev.drover.report.HostStats(ok, changed, unreachableCount, failedCount, skipped, rescued, ignored);
    }

    /**
     * Counts a result as Ansible's recap does: an ignored failure is ok+ignored, and a failure that a
     * {@code rescue} section will handle counts as rescued, not failed.
     */
    synchronized void count(dev.drover.report.Event.Status status, boolean ignoredFailure, boolean rescuable,
                            boolean reportedChange) {
        processed = true;
        switch (status) {
            case OK -> ok++;
            case CHANGED -> {
                ok++;
                changed++;
            }
            case SKIPPED -> skipped++;
            case FAILED -> {
                if (ignoredFailure) {
                    ignored++;
                    ok++;
                    if (reportedChange) changed++;
                } else if (rescuable) {
                    rescued++;
                } else {
                    failedCount++;
                }
            }
            case UNREACHABLE -> {
                if (ignoredFailure) {
                    ignored++;
                    ok++;
                } else {
                    unreachableCount++;
                }
            }
        }
    }

}
