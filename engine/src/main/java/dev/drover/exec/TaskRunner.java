package dev.drover.exec;

import dev.drover.error.Position;
import dev.drover.error.UserError;
import dev.drover.host.HostOps;
import dev.drover.modules.Module;
import dev.drover.modules.ModuleContext;
import dev.drover.modules.ModuleResult;
import dev.drover.playbook.Task;
import dev.drover.report.Event;
import dev.drover.report.Event.Status;
import dev.drover.template.Templar;
import dev.drover.transport.TransportException;
import dev.drover.yaml.VaultKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs one task on one host: {@code when}, loops, templated arguments, the action (a controller action or a host
 * module), {@code until}/{@code retries}, {@code failed_when}/{@code changed_when}, {@code register}, and the
 * events the console and reports show. A template error at run time fails the task on that host (as in Ansible),
 * it does not stop the run.
 */
final class TaskRunner {
    /** Marks a loop's combined result: the console shows the items instead, as Ansible does. */
    static final String LOOP_SUMMARY = dev.drover.report.ConsoleSink.LOOP_SUMMARY;

    private final PlayContext play;
    private final Actions actions;

    TaskRunner(PlayContext play, Actions actions) {
        this.play = play;
        this.actions = actions;
    }

    TaskOutcome run(Task task, String host, Scope scope, String kind) {
        long start = System.nanoTime();
        Templar t = play.run.templar;
        Position pos = task.pos();
        LayeredVars vars = play.vars(host, scope, task.vars());
        boolean noLog = bool(t, scope.keyword(task.keywords(), "no_log"), vars, pos, false);
        boolean ignoreErrors = bool(t, scope.keyword(task.keywords(), "ignore_errors"), vars, pos, false);
        String delegate = null;
        Map<String, Object> result;
        List<Map<String, Object>> items = null;
        try {
            Object delegateRaw = scope.keyword(task.keywords(), "delegate_to");
            if (delegateRaw != null) delegate = String.valueOf(t.template(delegateRaw, vars, pos));
            List<Object> loopItems = loopItems(task, vars);
            if (loopItems == null) {
                result = scope.allows(task, play.run.templar, vars) ? once(task, host, scope, vars, delegate, noLog)
                        : Results.skipped("Conditional result was False");
            } else {
                items = new ArrayList<>();
                String loopVar = loopControl(task, "loop_var", "item");
                String indexVar = loopControl(task, "index_var", null);
                Object pause = loopControlRaw(task, "pause");
                for (int i = 0; i < loopItems.size(); i++) {
                    Map<String, Object> top = new LinkedHashMap<>();
                    top.put(loopVar, loopItems.get(i));
                    if (indexVar != null) top.put(indexVar, i);
                    top.put("ansible_loop_var", loopVar);
                    top.put("ansible_loop", loopInfo(loopItems, i));
                    LayeredVars itemVars = vars.with(top);
                    Map<String, Object> r = scope.allows(task, play.run.templar, itemVars)
                            ? once(task, host, scope, itemVars, delegate, noLog)
                            : Results.skipped("Conditional result was False");
                    r = new LinkedHashMap<>(r);
                    r.put(loopVar, loopItems.get(i));
                    r.put("ansible_loop_var", loopVar);
                    if (indexVar != null) r.put(indexVar, i);
                    items.add(r);
                    emitItem(task, host, r, label(task, itemVars, loopItems.get(i)), delegate, ignoreErrors, noLog);
                    if (pause != null && i < loopItems.size() - 1) sleepSeconds(Double.parseDouble(String.valueOf(pause)));
                }
                result = Results.loop(items);
            }
        } catch (UserError e) {
            result = Results.failed(e.render());
        } catch (TransportException e) {
            result = Results.unreachable(e.getMessage());
        } catch (IOException e) {
            result = Results.failed(e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            result = Results.failed("interrupted");
        }
        // no_log hides the result from every output (console, events, reports); the registered variable keeps it,
        // as in Ansible, so later tasks can still use it.
        register(task, host, result);
        Map<String, Object> registered = result;
        announceVars(task, host, registered, noLog);
        if (noLog) result = Results.censor(result);
        Status status = Results.status(result);
        boolean ignored = (status == Status.FAILED && ignoreErrors)
                || (status == Status.UNREACHABLE && bool(t, scope.keyword(task.keywords(), "ignore_unreachable"), vars, pos, false));
        HostState st = play.run.host(host);
        st.count(status, ignored, scope.rescuable(), Results.flag(result, "changed"));
        Map<String, Object> shown = result;
        if (items != null) {
            shown = new LinkedHashMap<>(result);
            shown.put(LOOP_SUMMARY, true);
        }
        play.run.sink.on(new Event.HostResult(host, task.displayName(), task.action(), status, shown, delegate, null, ignored,
                (System.nanoTime() - start) / 1_000_000));
        if (items == null) emitOutcome(task, host, registered, noLog);
        if (status == Status.CHANGED) notify(task, host, vars);
        return new TaskOutcome(host, status, registered, ignored, delegate, noLog);
    }

    /** Runs the action once (for one loop item), with retries and failed_when/changed_when applied. */
    private Map<String, Object> once(Task task, String host, Scope scope, LayeredVars vars, String delegate, boolean noLog)
            throws IOException, InterruptedException {
        Templar t = play.run.templar;
        Position pos = task.pos();
        Object until = task.keywords().get("until");
        Object retriesRaw = task.keywords().get("retries");
        int retries = retriesRaw == null ? 3 : toInt(t.template(retriesRaw, vars, pos), "retries", pos);
        double delay = task.keywords().get("delay") == null ? 5 : toDouble(t.template(task.keywords().get("delay"), vars, pos), "delay", pos);
        boolean retrying = until != null || retriesRaw != null;
        int attempts = 0;
        Map<String, Object> r;
        while (true) {
            attempts++;
            r = new LinkedHashMap<>(timed(task, host, scope, vars, delegate));
            r = applyOutcomes(task, vars, r);
            r = applyConditions(task, vars, r);
            if (!retrying) break;
            boolean done = until != null ? t.condition(until, bindRegister(task, vars, r), pos) : !Results.flag(r, "failed");
            if (done) break;
            if (attempts > retries) {
                r.put("failed", true);
                if (until != null) r.putIfAbsent("msg", "Failed to meet the until condition after " + retries + " retries");
                break;
            }
            if (!noLog) {
                play.run.sink.on(new Event.Retrying(host, task.displayName(), retries - attempts + 1));
            }
            sleepSeconds(delay);
        }
        if (retrying) r.put("attempts", attempts);
        return r;
    }

    /**
     * The action, bounded by the task's {@code timeout} or {@code async} seconds; {@code async} with {@code poll: 0}
     * starts it in the background and returns its job id at once (checked later with {@code async_status}).
     */
    private Map<String, Object> timed(Task task, String host, Scope scope, LayeredVars vars, String delegate)
            throws IOException, InterruptedException {
        Templar t = play.run.templar;
        Object timeoutRaw = scope.keyword(task.keywords(), "timeout");
        Object asyncRaw = task.keywords().get("async");
        if (timeoutRaw == null && asyncRaw == null) return actions.execute(task, host, scope, vars, delegate);
        java.util.concurrent.Callable<Map<String, Object>> action = () -> actions.execute(task, host, scope, vars, delegate);
        if (asyncRaw != null) {
            int limit = toInt(t.template(asyncRaw, vars, task.pos()), "async", task.pos());
            Object pollRaw = task.keywords().get("poll");
            int poll = pollRaw == null ? 15 : toInt(t.template(pollRaw, vars, task.pos()), "poll", task.pos());
            String jid = "j" + Long.toUnsignedString(java.util.concurrent.ThreadLocalRandom.current().nextLong()) + "." + host;
            java.util.concurrent.Future<Map<String, Object>> job = play.run.background.submit(action);
            if (poll == 0) {
                play.run.asyncJobs.put(jid, job);
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("ansible_job_id", jid);
                r.put("changed", true);
                r.put("finished", 0);
                r.put("results_file", "");
                r.put("started", 1);
                return r;
            }
            Map<String, Object> r = await(job, limit, "async task did not complete within the requested time - " + limit + "s");
            r.put("ansible_job_id", jid);
            r.put("finished", 1);
            return r;
        }
        int limit = toInt(t.template(timeoutRaw, vars, task.pos()), "timeout", task.pos());
        return await(play.run.background.submit(action), limit, "The " + task.action()
                + " action failed to execute in the expected time frame (" + limit + ") and was terminated");
    }

    private static Map<String, Object> await(java.util.concurrent.Future<Map<String, Object>> job, int seconds, String onTimeout)
            throws IOException, InterruptedException {
        try {
            return new LinkedHashMap<>(job.get(seconds, java.util.concurrent.TimeUnit.SECONDS));
        } catch (java.util.concurrent.TimeoutException e) {
            job.cancel(true); // interrupts the call: the agent cancels the request and kills its process tree
            return Results.failed(onTimeout);
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException io) throw io;
            if (c instanceof RuntimeException re) throw re;
            throw new IOException(c);
        }
    }

    /**
     * {@code outcomes:}: the exit code (or {@code default}) chooses {@code {status, message}}; the message is
     * templated with the result's rc, stdout and stderr. ok makes the task succeed whatever the rc; recoverable
     * and fatal fail it with the message. The result carries {@code outcome: {rc, status, message}}.
     */
    private Map<String, Object> applyOutcomes(Task task, LayeredVars vars, Map<String, Object> r) {
        if (!(task.keywords().get("outcomes") instanceof Map<?, ?> spec)) return r;
        if (Results.flag(r, "skipped") || Results.flag(r, "unreachable")) return r;
        Object rc = r.get("rc");
        Object chosen = null;
        for (Map.Entry<?, ?> e : spec.entrySet()) {
            if (rc != null && String.valueOf(e.getKey()).trim().equals(String.valueOf(rc))) chosen = e.getValue();
        }
        if (chosen == null) chosen = spec.get("default");
        if (!(chosen instanceof Map<?, ?> o)) return r;
        String status = String.valueOf(o.get("status"));
        Map<String, Object> top = new LinkedHashMap<>();
        top.put("rc", rc);
        top.put("stdout", r.getOrDefault("stdout", ""));
        top.put("stderr", r.getOrDefault("stderr", ""));
        top.put("msg", r.getOrDefault("msg", ""));
        Object raw = o.get("message") != null ? o.get("message") : status + " (exit code {{ rc }})";
        Object text = play.run.templar.template(raw, bindRegister(task, vars, r).with(top), task.pos());
        String message = text instanceof String str ? str : Templar.toPython(text);
        Map<String, Object> outcome = new LinkedHashMap<>();
        outcome.put("rc", rc);
        outcome.put("status", status);
        outcome.put("message", message);
        r.put("outcome", outcome);
        r.put("failed", !status.equals("ok"));
        if (!status.equals("ok")) r.put("msg", message);
        return r;
    }

    /** The console's INFO__/FAIL__ line for a result that went through {@code outcomes:}. */
    private void emitOutcome(Task task, String host, Map<String, Object> r, boolean noLog) {
        if (!(r.get("outcome") instanceof Map<?, ?> o)) return;
        String message = noLog ? "the output has been hidden due to the fact that 'no_log: true' was specified for this result"
                : String.valueOf(o.get("message"));
        play.run.sink.on(new Event.OutcomeReached(host, task.displayName(), o.get("rc"), String.valueOf(o.get("status")), message));
    }

    private Map<String, Object> applyConditions(Task task, LayeredVars vars, Map<String, Object> r) {
        if (Results.flag(r, "skipped") || Results.flag(r, "unreachable")) return r;
        Templar t = play.run.templar;
        Object changedWhen = task.keywords().get("changed_when");
        if (changedWhen != null) r.put("changed", t.condition(changedWhen, bindRegister(task, vars, r), task.pos()));
        Object failedWhen = task.keywords().get("failed_when");
        if (failedWhen != null) {
            boolean f = t.condition(failedWhen, bindRegister(task, vars, r), task.pos());
            r.put("failed_when_result", f);
            r.put("failed", f);
            if (f) r.putIfAbsent("msg", "failed_when condition met");
        }
        return r;
    }

    /** failed_when/changed_when/until see the result under the register name, as in Ansible. */
    private static LayeredVars bindRegister(Task task, LayeredVars vars, Map<String, Object> r) {
        Object reg = task.keywords().get("register");
        return reg == null ? vars : vars.with(Map.of(String.valueOf(reg), r));
    }

    private void register(Task task, String host, Map<String, Object> result) {
        Object reg = task.keywords().get("register");
        if (reg != null) play.run.host(host).hostVars.put(String.valueOf(reg), result);
    }

    /** Tells the sinks (the run journal keeps them for recovery) which host variables the task set. */
    private void announceVars(Task task, String host, Map<String, Object> result, boolean noLog) {
        Map<String, Object> set = varsSet(task, result);
        if (!set.isEmpty()) play.run.sink.on(new Event.HostVarsSet(host, set, noLog));
    }

    /** The host variables a task's result sets: its register name, and set_fact's facts. */
    static Map<String, Object> varsSet(Task task, Map<String, Object> result) {
        Map<String, Object> set = new LinkedHashMap<>();
        Object reg = task.keywords().get("register");
        if (reg != null) set.put(String.valueOf(reg), result);
        if (task.action().equals("set_fact") && result.get("ansible_facts") instanceof Map<?, ?> f) {
            f.forEach((k, v) -> set.put(String.valueOf(k), v));
        }
        return set;
    }

    private void notify(Task task, String host, LayeredVars vars) {
        Object n = task.keywords().get("notify");
        if (n == null) return;
        List<Object> names = n instanceof List<?> l ? new ArrayList<>(l) : List.of(n);
        HostState st = play.run.host(host);
        for (Object name : names) st.notified.add(String.valueOf(play.run.templar.template(name, vars, task.pos())));
    }

    private void emitItem(Task task, String host, Map<String, Object> r, String label, String delegate,
                          boolean ignoreErrors, boolean noLog) {
        Map<String, Object> shown = noLog ? Results.censor(r) : r;
        Status s = Results.status(r);
        play.run.sink.on(new Event.HostResult(host, task.displayName(), task.action(), s, shown, delegate, noLog ? "None" : label,
                s == Status.FAILED && ignoreErrors, 0));
        emitOutcome(task, host, r, noLog);
    }

    private String label(Task task, LayeredVars itemVars, Object item) {
        Object label = loopControlRaw(task, "label");
        Object v = label == null ? item : play.run.templar.template(label, itemVars, task.pos());
        return v instanceof String s ? s : Templar.toPython(v);
    }

    /** The items of {@code loop} or {@code with_*}, or null when the task does not loop. */
    List<Object> loopItems(Task task, LayeredVars vars) {
        Map<String, Object> kw = task.keywords();
        Templar t = play.run.templar;
        if (kw.containsKey("loop")) {
            Object v = t.template(kw.get("loop"), vars, task.pos());
            if (v instanceof List<?> l) return new ArrayList<>(l);
            throw UserError.expected(task.pos(), "loop", "a list (use dict2items for a mapping)", v);
        }
        for (Map.Entry<String, Object> e : kw.entrySet()) {
            if (e.getKey().startsWith("with_")) return Loops.items(e.getKey().substring(5), e.getValue(), t, vars, task.pos(), play);
        }
        return null;
    }

    String loopControl(Task task, String key, String def) {
        Object v = loopControlRaw(task, key);
        return v == null ? def : String.valueOf(v);
    }

    private static Object loopControlRaw(Task task, String key) {
        Object lc = task.keywords().get("loop_control");
        return lc instanceof Map<?, ?> m ? m.get(key) : null;
    }

    private static Map<String, Object> loopInfo(List<Object> items, int i) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("index", i + 1);
        m.put("index0", i);
        m.put("first", i == 0);
        m.put("last", i == items.size() - 1);
        m.put("length", items.size());
        m.put("revindex", items.size() - i);
        m.put("revindex0", items.size() - i - 1);
        return m;
    }

    static boolean bool(Templar t, Object raw, LayeredVars vars, Position pos, boolean def) {
        if (raw == null) return def;
        if (raw instanceof Boolean b) return b;
        return t.condition(raw, vars, pos);
    }

    static int toInt(Object v, String what, Position pos) {
        try {
            return v instanceof Number n ? n.intValue() : Integer.parseInt(String.valueOf(v).trim());
        } catch (NumberFormatException e) {
            throw UserError.expected(pos, what, "an integer", v);
        }
    }

    static double toDouble(Object v, String what, Position pos) {
        try {
            return v instanceof Number n ? n.doubleValue() : Double.parseDouble(String.valueOf(v).trim());
        } catch (NumberFormatException e) {
            throw UserError.expected(pos, what, "a number", v);
        }
    }

    static void sleepSeconds(double s) throws InterruptedException {
        if (s > 0) Thread.sleep((long) (s * 1000));
    }

    /** The context a host module runs in. */
    static final class Context implements ModuleContext {
        private final Map<String, Object> args;
        private final HostOps host;
        private final String hostname;
        private final boolean check;
        private final boolean diff;
        private final Scope scope;
        private final PlayContext play;
        private final LayeredVars vars;
        private final Position pos;

        Context(Map<String, Object> args, HostOps host, String hostname, boolean check, boolean diff, Scope scope,
                PlayContext play, LayeredVars vars, Position pos) {
            this.args = args;
            this.host = host;
            this.hostname = hostname;
            this.check = check;
            this.diff = diff;
            this.scope = scope;
            this.play = play;
            this.vars = vars;
            this.pos = pos;
        }

        @Override
        public Map<String, Object> args() {
            return args;
        }

        @Override
        public HostOps host() {
            return host;
        }

        @Override
        public String inventoryHostname() {
            return hostname;
        }

        @Override
        public boolean checkMode() {
            return check;
        }

        @Override
        public boolean diffMode() {
            return diff;
        }

        @Override
        public Path findFile(String kind, String src) {
            return Files.search(kind, src, scope.role(), play.baseDir(), pos);
        }

        @Override
        public byte[] readLocal(Path file) throws java.io.IOException {
            byte[] raw = java.nio.file.Files.readAllBytes(file);
            String text = new String(raw, java.nio.charset.StandardCharsets.UTF_8);
            if (!VaultKeys.isEncrypted(text)) return raw;
            VaultKeys vault = play.run.loader.vault();
            byte[] plain = vault.decrypt(text, Position.file(file));
            vault.sensitive(new String(plain, java.nio.charset.StandardCharsets.UTF_8));
            return plain;
        }

        @Override
        public String renderTemplate(String text, Path source) {
            List<Path> search = new ArrayList<>();
            search.add(source.getParent());
            if (scope.role() != null) search.add(scope.role().templatesDir());
            search.add(play.baseDir());
            Map<String, Object> top = new LinkedHashMap<>();
            top.put("template_path", source.toString());
            top.put("template_fullpath", source.toAbsolutePath().toString());
            top.put("template_host", hostname);
            return play.run.templar.renderText(text, vars.with(top), pos, search);
        }
    }

    /** Controller-side file lookup for copy/template/script and include_vars. */
    static final class Files {
        private Files() {}

        static Path search(String kind, String src, dev.drover.playbook.RoleRef role, Path baseDir, Position pos) {
            Path p = Path.of(src);
            if (p.isAbsolute()) {
                if (java.nio.file.Files.exists(p)) return p;
                throw new UserError(pos, "could not find '" + src + "'");
            }
            List<Path> candidates = new ArrayList<>();
            if (role != null) {
                candidates.add(role.path().resolve(kind).resolve(src));
                candidates.add(role.path().resolve(src));
            }
            candidates.add(baseDir.resolve(kind).resolve(src));
            candidates.add(baseDir.resolve(src));
            for (Path c : candidates) if (java.nio.file.Files.exists(c)) return c;
            List<String> searched = new ArrayList<>();
            for (Path c : candidates) searched.add(c.toString());
            throw new UserError(pos, "could not find '" + src + "'; searched: " + String.join(", ", searched));
        }
    }

    /** Host modules resolved from the registry. */
    static Module module(PlayContext play, Task task) {
        return play.run.modules.find(task.action()).orElseThrow(() -> new UserError(task.pos(),
                "module '" + task.action() + "' is not implemented by Drover"));
    }

}
