package dev.drover.exec;

import dev.drover.error.Position;
import dev.drover.error.UserError;
import dev.drover.playbook.Block;
import dev.drover.playbook.LoadedRole;
import dev.drover.playbook.Play;
import dev.drover.playbook.Task;
import dev.drover.playbook.TaskItem;
import dev.drover.report.Event;
import dev.drover.report.Event.Status;
import dev.drover.template.Templar;
import dev.drover.transport.TransportException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * Runs one play with the linear strategy: serial batches; in each batch every eligible host finishes a task before
 * any host starts the next (up to {@code forks} at once); block, then rescue for the hosts that failed in it, then
 * always; handlers at the end of each section; and Ansible's rules for stopping (any_errors_fatal, run_once,
 * max_fail_percentage, a batch in which every host failed).
 */
final class PlayRunner {
    /** Thrown to end the current play for every host; {@code endRun} also ends the playbook run. */
    static final class PlayEnd extends RuntimeException {
        final boolean endRun;
        final boolean batchOnly;

        PlayEnd(boolean endRun, boolean batchOnly) {
            super(null, null, false, false);
            this.endRun = endRun;
            this.batchOnly = batchOnly;
        }
    }

    private final PlayContext ctx;
    private final TaskRunner tasks;
    private final Actions actions;
    private final Run run;
    private final StartAt startAt;
    private List<String> batch = List.of();
    /**
     * How deeply include_tasks/include_role are nested on this thread (free strategy runs hosts on their own
     * threads). A file that includes itself without a stopping condition fails its hosts at {@link #MAX_INCLUDE_DEPTH}
     * instead of overflowing the stack.
     */
    private final ThreadLocal<int[]> includeDepth = ThreadLocal.withInitial(() -> new int[1]);
    static final int MAX_INCLUDE_DEPTH = 100;

    /** --start-at-task: tasks are skipped until one with this name is reached (once per run). */
    static final class StartAt {
        private volatile String name;

        StartAt(String name) {
            this.name = name;
        }

        boolean skip(Task t) {
            String n = name;
            if (n == null) return false;
            if (n.equals(t.name()) || n.equals(t.displayName())) {
                name = null;
                return false;
            }
            return true;
        }

        boolean pending() {
            return name != null;
        }
    }

    PlayRunner(PlayContext ctx, StartAt startAt) {
        this.ctx = ctx;
        this.run = ctx.run;
        this.actions = new Actions(ctx);
        this.tasks = new TaskRunner(ctx, actions);
        this.startAt = startAt;
    }

    /** Runs the play; returns false when the playbook run must stop (Ansible's break_play). */
    boolean run() {
        Play play = ctx.play;
        Position pos = play.pos();
        Scope root = Scope.EMPTY.enter(playKeywords(play), null, false);
        List<String> hosts = Batches.order(ctx.playHostsAll, (String) stringOrNull(play.keywords().get("order")), pos, new Random());
        for (List<String> b : Batches.split(hosts, play.keywords().get("serial"), pos)) {
            batch = b;
            ctx.batch = b;
            for (String h : b) run.host(h).ended = false;
            ctx.refreshShared();
            try {
                runBatch(root);
            } catch (PlayEnd e) {
                if (e.endRun) return false;
                if (!e.batchOnly) return true;
            }
            long failed = b.stream().filter(h -> run.host(h).failed || run.host(h).unreachable).count();
            if (failed == b.size()) {
                run.sink.on(new Event.PlayStopped("every host of the batch failed or was unreachable"));
                return false;
            }
            if (run.interrupted) return false;
        }
        return true;
    }

    private static Map<String, Object> playKeywords(Play play) {
        Map<String, Object> kw = new LinkedHashMap<>(play.keywords());
        kw.remove("vars");
        if (!play.importWhen().isEmpty()) kw.put("when", play.importWhen());
        return kw;
    }

    private void runBatch(Scope root) {
        if (gatherFacts()) gather(root);
        section(ctx.play.preTasks(), root);
        section(ctx.play.roles(), root);
        section(ctx.play.tasks(), root);
        section(ctx.play.postTasks(), root);
    }

    private void section(List<TaskItem> items, Scope root) {
        try {
            if (freeStrategy()) {
                // free: every host goes through the section as fast as it can, not waiting for the others
                parallel(eligible(batch, false), h -> {
                    runItems(items, List.of(h), root, false);
                    return null;
                });
            } else {
                runItems(items, batch, root, false);
            }
        } finally {
            flushHandlers(root);
        }
    }

    private boolean freeStrategy() {
        Object s = ctx.play.keywords().get("strategy");
        if (s == null || "linear".equals(String.valueOf(s))) return false;
        if ("free".equals(String.valueOf(s)) || "host_pinned".equals(String.valueOf(s))) return true;
        throw UserError.expected(ctx.play.pos(), "strategy", "linear, free or host_pinned", s);
    }

    /**
     * Implicit fact gathering: on unless gather_facts is false; tagged as in Ansible's play iterator ("unless play is
     * specifically tagged, gathering should 'always' run"): the play's tags, or always when it has none.
     */
    private boolean gatherFacts() {
        Set<String> tags = new LinkedHashSet<>(ctx.play.tags());
        if (tags.isEmpty()) tags.add("always");
        if (!run.options.tagFilter().selects(tags)) return false;
        Object g = ctx.play.keywords().get("gather_facts");
        if (g == null) return true;
        return g instanceof Boolean b ? b : dev.drover.modules.ArgSpec.toBool(null, g);
    }

    private void gather(Scope root) {
        List<String> targets = eligible(batch, false);
        if (targets.isEmpty() || !root.when().isEmpty() && !importWhenHolds(root, targets)) return;
        run.sink.on(new Event.TaskStarted("Gathering Facts", null, "setup", ctx.play.pos()));
        parallel(targets, h -> {
            long start = System.nanoTime();
            Map<String, Object> r;
            try {
                r = actions.gatherFacts(h, root);
            } catch (TransportException e) {
                r = Results.unreachable(e.getMessage());
            } catch (IOException | UserError e) {
                r = Results.failed(e instanceof UserError u ? u.render() : e.getMessage());
            }
            Status s = Results.status(r);
            if (s == Status.UNREACHABLE) run.host(h).unreachable = true;
            if (s == Status.FAILED) run.host(h).failed = true;
            if (s == Status.UNREACHABLE || s == Status.FAILED) {
                run.recordError(error(h, "Gathering Facts", null, ctx.play.pos(), r, s == Status.UNREACHABLE));
            }
            run.host(h).count(s, false, false, false);
            Map<String, Object> shown = new LinkedHashMap<>(r);
            shown.remove("ansible_facts");
            run.sink.on(new Event.HostResult(h, "Gathering Facts", "gather_facts", s, shown, null, null, false, (System.nanoTime() - start) / 1_000_000));
            return null;
        });
        afterTask(null, root);
    }

    private boolean importWhenHolds(Scope root, List<String> targets) {
        LayeredVars v = ctx.vars(targets.get(0), Scope.EMPTY, Map.of());
        for (Object w : root.when()) if (!run.templar.condition(w, v, ctx.play.pos())) return false;
        return true;
    }

    /** Runs items on the hosts that are still eligible; {@code runFailed} lets {@code always} reach failed hosts. */
    void runItems(List<TaskItem> items, List<String> hosts, Scope scope, boolean runFailed) {
        for (TaskItem item : items) {
            if (run.interrupted || run.clusterStopped()) throw new PlayEnd(true, false);
            List<String> targets = eligible(hosts, runFailed);
            if (item.role() != null) targets.removeIf(h -> item.role().path().equals(run.host(h).endedRole));
            if (targets.isEmpty()) continue;
            if (item instanceof Block b) {
                block(b, targets, scope, runFailed);
            } else {
                task((Task) item, targets, scope);
            }
        }
    }

    private void block(Block b, List<String> targets, Scope scope, boolean runFailed) {
        if (b.role() != null && b.role().duplicate()) return;
        Set<String> failedBefore = new HashSet<>();
        for (String h : targets) if (run.host(h).failed) failedBefore.add(h);
        Scope inner = scope.enter(b.keywords(), b.role(), !b.rescue().isEmpty() || scope.rescuable());
        runItems(b.block(), targets, inner, runFailed);
        if (!b.rescue().isEmpty()) {
            List<String> toRescue = new ArrayList<>();
            for (String h : targets) {
                HostState st = run.host(h);
                if (st.failed && !st.unreachable && !failedBefore.contains(h)) toRescue.add(h);
            }
            if (!toRescue.isEmpty()) {
                for (String h : toRescue) {
                    HostState st = run.host(h);
                    st.failed = false;
                    if (st.lastFailedTask != null) st.hostVars.put("ansible_failed_task", st.lastFailedTask);
                    if (st.lastFailedResult != null) st.hostVars.put("ansible_failed_result", st.lastFailedResult);
                }
                ctx.refreshShared();
                runItems(b.rescue(), toRescue, scope.enter(b.keywords(), b.role(), scope.rescuable()), runFailed);
            }
        }
        if (!b.always().isEmpty()) {
            runItems(b.always(), targets, scope.enter(b.keywords(), b.role(), scope.rescuable()), true);
        }
        if (b.implicit() && b.role() != null) {
            for (String h : targets) if (b.role().path().equals(run.host(h).endedRole)) run.host(h).endedRole = null;
        }
    }

    private void task(Task task, List<String> targets, Scope scope) {
        if (startAt.skip(task)) return;
        if (!tagsSelect(task, scope)) return;
        switch (task.action()) {
            case "meta" -> meta(task, targets, scope);
            case "include_tasks", "include", "include_role" -> include(task, targets, scope);
            default -> hostLoop(task, targets, scope, "task");
        }
    }

    /**
     * The name a {@code TASK [...]} banner shows. Like Ansible, a name with an expression is templated with the first
     * host's variables (an include's {@code vars:} among them); one that cannot be (an undefined variable) is shown as
     * written.
     */
    private String bannerName(Task task, List<String> targets, Scope scope) {
        String name = task.name() == null ? task.writtenAction() : task.name();
        if (!name.contains("{{") || targets.isEmpty()) return name;
        try {
            return String.valueOf(run.templar.template(name, ctx.vars(targets.get(0), scope, task.vars()), task.pos()));
        } catch (RuntimeException e) {
            return name;
        }
    }

    private boolean tagsSelect(Task task, Scope scope) {
        Set<String> tags = new LinkedHashSet<>(scope.tags());
        tags.addAll(task.tags());
        return run.options.tagFilter().selects(tags);
    }

    private void hostLoop(Task task, List<String> targets, Scope scope, String kind) {
        run.sink.on(new Event.TaskStarted(bannerName(task, targets, scope),
                scope.role() == null ? null : scope.role().name(), kind, task.pos()));
        boolean runOnce = flag(task, scope, "run_once", targets) || Actions.BYPASS_HOST_LOOP.contains(task.action());
        List<TaskOutcome> outcomes;
        if (runOnce) {
            TaskOutcome first = tasks.run(task, targets.get(0), scope, kind);
            outcomes = List.of(first);
            shareRunOnce(task, scope, targets, first);
        } else {
            int throttle = throttle(task, scope, targets);
            java.util.concurrent.Semaphore slots = new java.util.concurrent.Semaphore(throttle > 0 ? throttle : Integer.MAX_VALUE);
            outcomes = parallel(targets, h -> {
                slots.acquire();
                try {
                    return tasks.run(task, h, scope, kind);
                } finally {
                    slots.release();
                }
            }, task.displayName());
        }
        for (TaskOutcome o : outcomes) {
            HostState st = run.host(o.host());
            if ((o.unreachable() || o.failed()) && !scope.rescuable()) recordError(task, scope, o);
            if (o.unreachable()) {
                st.unreachable = true;
            } else if (o.failed()) {
                st.failed = true;
                st.lastFailedTask = Map.of("name", task.name() == null ? "" : task.name(),
                        "action", task.action(), "position", task.pos().toString());
                st.lastFailedResult = o.result();
            }
        }
        boolean anyFailed = outcomes.stream().anyMatch(o -> o.failed() || o.unreachable());
        boolean ignoreErrors = outcomes.stream().anyMatch(TaskOutcome::ignored);
        boolean fatal = flag(task, scope, "any_errors_fatal", targets) || (runOnce && !ignoreErrors);
        if (anyFailed && fatal) {
            for (String h : batch) {
                HostState st = run.host(h);
                if (!st.unreachable) st.failed = true;
            }
            if (!scope.rescuable()) {
                run.sink.on(new Event.PlayStopped("any_errors_fatal: a host failed '" + task.displayName() + "'"));
                throw new PlayEnd(true, false);
            }
        }
        afterTask(task, scope);
    }

    /** {@code throttle}: at most this many hosts run the task at once (it can lower forks, never raise it). */
    private int throttle(Task task, Scope scope, List<String> targets) {
        Object raw = scope.keyword(task.keywords(), "throttle");
        if (raw == null) return 0;
        Object v = run.templar.template(raw, ctx.vars(targets.get(0), scope, Map.of()), task.pos());
        return TaskRunner.toInt(v, "throttle", task.pos());
    }

    /** Adds a failure to the run-wide aggregate ({@code update_errors}); rescued and ignored ones are not failures. */
    private void recordError(Task task, Scope scope, TaskOutcome o) {
        run.recordError(error(o.host(), task.name() == null ? task.writtenAction() : task.name(),
                scope.role() == null ? null : scope.role().name(), task.pos(), o.result(), o.unreachable()), o.noLog());
    }

    /**
     * One aggregate entry: where the failure happened, its message and rc, and its outcome: the status of the
     * task's {@code outcomes:} mapping when it has one, else "failed" or "unreachable". For a loop, the first
     * failed item speaks for the task: its message, rc and coded outcome (a fatal item must keep automatic
     * recovery off, as a fatal task does).
     */
    private Map<String, Object> error(String host, String task, String role, Position pos, Map<String, Object> whole,
                                      boolean unreachable) {
        Map<String, Object> result = whole;
        if (!(whole.get("outcome") instanceof Map) && whole.get("results") instanceof List<?> items) {
            for (Object item : items) {
                if (item instanceof Map<?, ?> m && Boolean.TRUE.equals(m.get("failed"))) {
                    result = castMap(m);
                    break;
                }
            }
        }
        Map<String, Object> e = new LinkedHashMap<>();
        String msg = String.valueOf(result.getOrDefault("msg", ""));
        Object outcome = unreachable ? "unreachable" : "failed";
        if (result.get("outcome") instanceof Map<?, ?> coded) {
            outcome = coded.get("status");
            msg = String.valueOf(coded.get("message"));
        }
        e.put("host", host);
        e.put("play", ctx.play.name());
        e.put("role", role);
        e.put("task", task);
        e.put("position", pos.toString());
        e.put("msg", msg);
        e.put("message", msg);
        e.put("rc", result.get("rc"));
        e.put("outcome", outcome);
        return e;
    }

    /** A run_once result applies to every host of the batch: registered value and facts. */
    private void shareRunOnce(Task task, Scope scope, List<String> targets, TaskOutcome first) {
        Object reg = task.keywords().get("register");
        HostState src = run.host(first.host());
        for (String h : targets.subList(1, targets.size())) {
            HostState st = run.host(h);
            if (reg != null) st.hostVars.put(String.valueOf(reg), first.result());
            if (task.action().equals("set_fact") && first.result().get("ansible_facts") instanceof Map<?, ?> f) {
                f.forEach((k, v) -> st.hostVars.put(String.valueOf(k), v));
            }
            if (first.changed()) st.notified.addAll(src.notified);
            // the journal keeps them for drover recover; no_log (even a templated one) redacts them there
            Map<String, Object> set = TaskRunner.varsSet(task, first.result());
            Object noLog = scope.keyword(task.keywords(), "no_log");
            if (!set.isEmpty()) run.sink.on(new Event.HostVarsSet(h, set, noLog != null && !Boolean.FALSE.equals(noLog)));
        }
    }

    /** After each task: max_fail_percentage, then a batch in which every host failed. */
    private void afterTask(Task task, Scope scope) {
        run.sink.barrier(); // the journal holds every result of this task before the next one starts
        Object mfp = ctx.play.keywords().get("max_fail_percentage");
        long failed = batch.stream().filter(h -> run.host(h).failed && !run.host(h).unreachable).count();
        if (mfp != null && Batches.exceeds((int) failed, batch.size(), mfp, ctx.play.pos())) {
            for (String h : batch) run.host(h).failed = true;
            run.sink.on(new Event.PlayStopped("max_fail_percentage " + mfp + " exceeded: " + failed + " of "
                    + batch.size() + " hosts failed"));
            throw new PlayEnd(true, false);
        }
        ctx.refreshShared();
    }

    private boolean flag(Task task, Scope scope, String keyword, List<String> targets) {
        Object raw = scope.keyword(task.keywords(), keyword);
        if (raw == null) return false;
        if (raw instanceof Boolean b) return b;
        return run.templar.condition(raw, ctx.vars(targets.get(0), scope, Map.of()), task.pos());
    }

    private void meta(Task task, List<String> targets, Scope scope) {
        Object raw = task.args().get("_raw_params");
        String what = raw == null ? String.valueOf(task.args().values().stream().findFirst().orElse("noop")) : String.valueOf(raw).trim();
        if (what.equals("end_host") || what.equals("end_role")) {
            endHost(task, targets, scope, what.equals("end_role"));
            return;
        }
        // Other meta tasks bypass the host loop: their when is evaluated against the first host, as in Ansible.
        if (!scope.allows(task, run.templar, ctx.vars(targets.get(0), scope, Map.of()))) return;
        switch (what) {
            case "flush_handlers" -> flushHandlers(scope);
            case "end_play" -> {
                for (String h : batch) run.host(h).ended = true;
                throw new PlayEnd(false, false);
            }
            case "end_batch" -> {
                for (String h : batch) run.host(h).ended = true;
                throw new PlayEnd(false, ctx.play.keywords().get("serial") != null);
            }
            case "clear_host_errors" -> {
                // Ansible 2.14: the hosts take part in later plays again, but stay stopped in this one.
                for (String h : batch) {
                    HostState st = run.host(h);
                    if (st.failed) {
                        st.failed = false;
                        st.ended = true;
                    }
                }
                ctx.refreshShared();
            }
            case "clear_facts" -> {
                for (String h : targets) run.host(h).facts.clear();
            }
            case "noop", "refresh_inventory", "reset_connection" -> {
                // nothing to do: inventories are static files, and connections are reused
            }
            default -> throw new UserError(task.pos(), "meta: unknown action '" + what + "': expected flush_handlers, "
                    + "end_play, end_batch, end_host, end_role, clear_host_errors, clear_facts, noop");
        }
    }

    /** {@code meta: end_host} and {@code end_role}: their when is evaluated per host. */
    private void endHost(Task task, List<String> targets, Scope scope, boolean roleOnly) {
        if (roleOnly && scope.role() == null) throw new UserError(task.pos(), "meta: end_role can only be used inside a role");
        run.sink.on(new Event.TaskStarted("meta", scope.role() == null ? null : scope.role().name(), "task", task.pos()));
        for (String h : targets) {
            HostState st = run.host(h);
            if (scope.allows(task, run.templar, ctx.vars(h, scope, Map.of()))) {
                if (roleOnly) st.endedRole = scope.role().path();
                else st.ended = true;
            } else {
                // shown but not counted, as Ansible does for meta tasks
                run.sink.on(new Event.HostResult(h, "meta", "meta", Status.SKIPPED, Results.skipped("Conditional result was False"), null, null, false, 0));
            }
        }
        ctx.refreshShared();
    }

    /**
     * include_tasks / include_role: loaded per host (and per loop item) at run time; hosts that include the same
     * file with the same item run it together, in the order first seen. The include's own keywords apply only to
     * the include (Ansible), except {@code apply:}.
     */
    private void include(Task task, List<String> targets, Scope scope) {
        run.sink.on(new Event.TaskStarted(bannerName(task, targets, scope),
                scope.role() == null ? null : scope.role().name(), "task", task.pos()));
        Map<String, Inclusion> groups = new LinkedHashMap<>();
        Map<String, Object> loaded = new java.util.HashMap<>();
        for (String h : targets) {
            LayeredVars base = ctx.vars(h, scope, task.vars());
            try {
                if (includeDepth.get()[0] >= MAX_INCLUDE_DEPTH) {
                    throw new UserError(task.pos(), task.action() + " nested more than " + MAX_INCLUDE_DEPTH
                            + " deep: expected the includes to stop (does a file include itself without a 'when'?)");
                }
                List<Object> items = tasks.loopItems(task, base);
                String loopVar = tasks.loopControl(task, "loop_var", "item");
                int n = items == null ? 1 : items.size();
                int included = 0;
                for (int i = 0; i < n; i++) {
                    Map<String, Object> top = new LinkedHashMap<>();
                    if (items != null) top.put(loopVar, items.get(i));
                    LayeredVars v = base.with(top);
                    if (!scope.allows(task, run.templar, v)) continue;
                    Inclusion inc = resolve(task, v, top, loaded);
                    groups.computeIfAbsent(inc.key(), k -> inc).hosts.add(h);
                    run.host(h).count(Status.OK, false, false, false);
                    included++;
                }
                // Ansible counts each included item as ok, and a host that included nothing as one skip.
                if (included == 0) run.host(h).count(Status.SKIPPED, false, false, false);
            } catch (UserError e) {
                HostState st = run.host(h);
                st.failed = true;
                st.count(Status.FAILED, false, scope.rescuable(), false);
                if (!scope.rescuable()) {
                    run.recordError(error(h, task.displayName(), scope.role() == null ? null : scope.role().name(),
                            task.pos(), Results.failed(e.render()), false));
                }
                run.sink.on(new Event.HostResult(h, task.displayName(), task.action(), Status.FAILED, Results.failed(e.render()), null, null, false, 0));
            }
        }
        for (Inclusion inc : groups.values()) {
            Map<String, Object> kw = new LinkedHashMap<>();
            if (task.args().get("apply") instanceof Map<?, ?> apply) apply.forEach((k, v) -> kw.put(String.valueOf(k), v));
            if (!inc.vars.isEmpty()) kw.put("vars", inc.vars);
            includeDepth.get()[0]++;
            try {
                runItems(inc.items, inc.hosts, scope.enter(kw, inc.role, scope.rescuable()), false);
            } finally {
                includeDepth.get()[0]--;
            }
        }
        afterTask(task, scope);
    }

    /** One included file (or role) with the variables it is included with, and the hosts including it. */
    private record Inclusion(String key, List<TaskItem> items, dev.drover.playbook.RoleRef role,
                             Map<String, Object> vars, List<String> hosts) {}

    /** {@code loaded} caches the files and roles already read by this include (by path and name). */
    private Inclusion resolve(Task task, LayeredVars v, Map<String, Object> loopVars, Map<String, Object> loaded) {
        Map<String, Object> args = castMap(run.templar.template(task.args(), v, task.pos()));
        // the include's `vars:` reach the included tasks (Ansible), below its own parameters and loop variable
        Map<String, Object> vars = new LinkedHashMap<>(task.vars());
        Map<String, Object> params = new LinkedHashMap<>(args);
        params.keySet().removeAll(List.of("file", "_raw_params", "name", "tasks_from", "vars_from", "defaults_from",
                "handlers_from", "apply", "public", "allow_duplicates", "rolespec_validate"));
        vars.putAll(params);
        vars.putAll(loopVars);
        if (task.action().equals("include_role")) {
            String name = String.valueOf(args.getOrDefault("name", args.get("_raw_params")));
            String roleKey = "role:" + name + ":" + args.get("tasks_from") + ":" + args.get("vars_from") + ":"
                    + args.get("defaults_from") + ":" + args.get("handlers_from");
            LoadedRole role = (LoadedRole) loaded.computeIfAbsent(roleKey, k -> run.loader.loadRole(name,
                    str(args.get("tasks_from")), str(args.get("vars_from")), str(args.get("defaults_from")),
                    str(args.get("handlers_from")), Map.of(), ctx.baseDir(), collections(), task.pos()));
            return new Inclusion("role:" + role.ref().path() + ":" + args.get("tasks_from") + "|" + vars, role.tasks(),
                    role.ref(), vars, new ArrayList<>());
        }
        Object file = args.containsKey("file") ? args.get("file") : args.get("_raw_params");
        Path path = run.loader.resolveTasksFile(String.valueOf(file), task, ctx.baseDir());
        @SuppressWarnings("unchecked")
        List<TaskItem> items = (List<TaskItem>) loaded.computeIfAbsent("file:" + path, k -> run.loader.loadTasksFile(path, task.role()));
        return new Inclusion("file:" + path + "|" + vars, items, task.role(), vars,
                new ArrayList<>());
    }

    private List<String> collections() {
        Object c = ctx.play.keywords().get("collections");
        List<String> out = new ArrayList<>();
        if (c instanceof List<?> l) l.forEach(x -> out.add(String.valueOf(x)));
        return out;
    }

    /** Runs notified handlers in definition order, once each, on the hosts that notified them. */
    void flushHandlers(Scope root) {
        if (run.interrupted || run.clusterStopped()) return;
        boolean force = run.options.forceHandlers() || Boolean.TRUE.equals(ctx.play.keywords().get("force_handlers"));
        for (int pass = 0; pass < 3; pass++) {
            boolean ranAny = false;
            for (Task handler : handlerTasks()) {
                List<String> hosts = new ArrayList<>();
                for (String h : batch) {
                    HostState st = run.host(h);
                    if (st.unreachable || st.ended || (st.failed && !force)) continue;
                    if (notifiedBy(handler, st)) hosts.add(h);
                }
                if (hosts.isEmpty()) continue;
                for (String h : hosts) clearNotification(handler, run.host(h));
                ranAny = true;
                Scope s = handler.role() == null ? root : root.enter(Map.of(), handler.role(), false);
                hostLoop(handler, hosts, s, "handler");
            }
            if (!ranAny) return;
        }
    }

    private List<Task> handlerTasks() {
        List<Task> out = new ArrayList<>();
        flattenHandlers(ctx.play.handlers(), out);
        return out;
    }

    private static void flattenHandlers(List<TaskItem> items, List<Task> out) {
        for (TaskItem i : items) {
            if (i instanceof Task t) out.add(t);
            else if (i instanceof Block b) flattenHandlers(b.block(), out);
        }
    }

    private static Set<String> handlerNames(Task h) {
        Set<String> names = new LinkedHashSet<>();
        if (h.name() != null) {
            names.add(h.name());
            if (h.role() != null) names.add(h.role().name() + " : " + h.name());
        }
        Object listen = h.keywords().get("listen");
        if (listen instanceof List<?> l) l.forEach(x -> names.add(String.valueOf(x)));
        else if (listen != null) names.add(String.valueOf(listen));
        return names;
    }

    private static boolean notifiedBy(Task handler, HostState st) {
        for (String n : handlerNames(handler)) if (st.notified.contains(n)) return true;
        return false;
    }

    private static void clearNotification(Task handler, HostState st) {
        st.notified.removeAll(handlerNames(handler));
    }

    private List<String> eligible(List<String> hosts, boolean runFailed) {
        List<String> out = new ArrayList<>();
        for (String h : hosts) {
            HostState st = run.host(h);
            if (!st.unreachable && !st.ended && (runFailed || !st.failed)) out.add(h);
        }
        return out;
    }

    private interface PerHost<T> {
        T apply(String host) throws Exception;
    }

    /** Runs per-host work on the fork pool and waits for all of it (the linear strategy's lock-step). */
    private <T> List<T> parallel(List<String> hosts, PerHost<T> work) {
        return parallel(hosts, work, null);
    }

    /** How often a long task reports the hosts it still runs on, in seconds (the property exists for tests). */
    private static long progressEverySeconds() {
        return Long.getLong("drover.progressInterval", 30);
    }

    /** Runs per-host work on the fork pool and waits for all of it; a long wait is reported under {@code label}. */
    private <T> List<T> parallel(List<String> hosts, PerHost<T> work, String label) {
        if (hosts.size() == 1) {
            try {
                return java.util.Collections.singletonList(work.apply(hosts.get(0)));
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        List<Future<T>> futures = new ArrayList<>();
        for (String h : hosts) futures.add(run.pool.submit(() -> work.apply(h)));
        List<T> out = new ArrayList<>();
        long start = System.nanoTime();
        long every = progressEverySeconds();
        long nextReport = every;
        for (int i = 0; i < futures.size(); i++) {
            Future<T> f = futures.get(i);
            try {
                while (true) {
                    try {
                        out.add(f.get(1, java.util.concurrent.TimeUnit.SECONDS));
                        break;
                    } catch (java.util.concurrent.TimeoutException stillRunning) {
                        if (run.cancelled) {
                            for (Future<T> other : futures) other.cancel(true);
                            throw new PlayEnd(true, false);
                        }
                        long elapsed = (System.nanoTime() - start) / 1_000_000_000L;
                        if (elapsed >= nextReport && label != null) {
                            List<String> pending = new ArrayList<>();
                            for (int j = 0; j < futures.size(); j++) if (!futures.get(j).isDone()) pending.add(hosts.get(j));
                            run.sink.on(new Event.StillRunning(label, pending, elapsed));
                            nextReport = elapsed + every;
                        }
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                run.interrupted = true;
                throw new PlayEnd(true, false);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException re) throw re;
                throw new IllegalStateException(e.getCause());
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Object o) {
        return (Map<String, Object>) o;
    }

    private static String str(Object o) {
        return o == null ? null : String.valueOf(o);
    }

    private static Object stringOrNull(Object o) {
        return o == null ? null : String.valueOf(o);
    }
}
