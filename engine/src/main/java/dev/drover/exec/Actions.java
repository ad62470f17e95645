package dev.drover.exec;

import dev.drover.error.Position;
import dev.drover.error.UserError;
import dev.drover.host.ExecSpec;
import dev.drover.host.FileAttrs;
import dev.drover.host.FileStat;
import dev.drover.host.HostOps;
import dev.drover.inventory.Inventory;
import dev.drover.modules.Module;
import dev.drover.modules.ModuleResult;
import dev.drover.playbook.PlaybookLoader;
import dev.drover.playbook.Task;
import dev.drover.template.Templar;
import dev.drover.template.Vars;
import dev.drover.transport.Become;
import dev.drover.transport.ExecResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Executes a task's action once: the controller-side actions Ansible implements as action plugins (debug, set_fact,
 * assert, fail, add_host, group_by, include_vars, pause, ping) and every host module from the registry, reached
 * through the host's primitives with become, delegation and {@code environment} applied.
 */
final class Actions {
    /** Actions handled here rather than by a host module. */
    static final Set<String> CONTROLLER = Set.of("debug", "set_fact", "assert", "fail", "add_host", "group_by",
            "include_vars", "pause", "ping", "set_stats", "meta", "include_tasks", "include_role", "include",
            "import_tasks", "import_role", "import_playbook", "gather_facts", "async_status", "validate_argument_spec",
            "marker");
    /** Actions that run once per batch (on the first host), as Ansible's BYPASS_HOST_LOOP actions do. */
    static final Set<String> BYPASS_HOST_LOOP = Set.of("add_host");
    /** Connection variables read from a host's variables (templated when read). */
    private static final List<String> CONNECTION_VARS = List.of("ansible_host", "ansible_ssh_host", "ansible_port",
            "ansible_ssh_port", "ansible_user", "ansible_ssh_user", "ansible_connection", "ansible_password",
            "ansible_ssh_pass", "ansible_ssh_private_key_file", "ansible_private_key_file", "ansible_ssh_common_args",
            "ansible_ssh_extra_args", "ansible_timeout", "ansible_host_key_checking", "ansible_ssh_host_key_checking",
            "ansible_become_password", "ansible_become_pass", "ansible_become_exe", "drover_agent", "drover_jump_host",
            "drover_host_key_policy", "drover_known_hosts_file", "drover_keepalive_interval", "ansible_ssh_password");

    private final PlayContext play;

    Actions(PlayContext play) {
        this.play = play;
    }

    /**
     * {@code marker: {name, msg}}: the host passed a named point of the run (for example point_of_no_return);
     * recorded in the run journal and visible to every host as {@code run_markers[name]} from the next task on.
     */
    private Map<String, Object> marker(String host, Map<String, Object> args, Position pos) {
        Object name = args.get("name");
        if (!(name instanceof String n) || n.isBlank()) throw UserError.expected(pos, "marker name", "a non-empty string", name);
        for (String k : args.keySet()) {
            if (!k.equals("name") && !k.equals("msg")) {
                throw new UserError(pos, "marker: '" + k + "' is not an argument (expected name, msg)"
                        + dev.drover.error.Suggest.hint(k, List.of("name", "msg")));
            }
        }
        String msg = args.get("msg") == null ? null : String.valueOf(args.get("msg"));
        synchronized (play.run.markers) {
            play.run.markers.computeIfAbsent(n, k -> new java.util.ArrayList<>()).add(host);
        }
        play.run.sink.on(new dev.drover.report.Event.MarkerPassed(host, n, msg));
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("changed", false);
        r.put("marker", n);
        if (msg != null) r.put("msg", msg);
        return r;
    }

    Map<String, Object> execute(Task task, String host, Scope scope, LayeredVars vars, String delegate)
            throws IOException, InterruptedException {
        Templar t = play.run.templar;
        Position pos = task.pos();
        Map<String, Object> args = withoutOmitted(t.template(task.args(), vars, pos));
        switch (task.action()) {
            case "debug":
                return debug(task, args, vars);
            case "set_fact":
                return setFact(host, args);
            case "assert":
                return assertThat(task, args, vars);
            case "fail": {
                Object msg = args.getOrDefault("msg", "Failed as requested from task");
                return Results.failed(msg instanceof String s ? s : Templar.toPython(msg));
            }
            case "add_host":
                return addHost(args, pos);
            case "group_by":
                return groupBy(host, args, pos);
            case "include_vars":
                return includeVars(host, scope, args, pos);
            case "pause":
                return pause(args, pos);
            case "validate_argument_spec":
                return validateArgumentSpec(args);
            case "async_status":
                return asyncStatus(args, task.pos());
            case "marker":
                return marker(host, args, pos);
            case "set_stats": {
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("changed", false);
                r.put("ansible_stats", args);
                return r;
            }
            default:
                break;
        }
        String target = delegate != null ? delegate : host;
        HostOps ops = open(task, host, target, scope, vars);
        if (task.action().equals("ping") && play.run.modules.find("ping").isEmpty()) {
            ExecResult r = ops.exec(ExecSpec.argv(List.of("true")));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("changed", false);
            m.put("ping", r.rc() == 0 ? "pong" : "failed");
            return m;
        }
        if (task.action().equals("gather_facts")) {
            return facts(host, ops.facts());
        }
        Module module = TaskRunner.module(play, task);
        Map<String, Object> validated;
        try {
            validated = module.spec().validate(args);
        } catch (IllegalArgumentException e) {
            return Results.failed(pos + ": " + task.action() + ": " + e.getMessage());
        }
        boolean check = checkMode(task, scope, vars);
        if (check && !module.supportsCheckMode()) {
            return Results.skipped("check mode not supported for " + task.action());
        }
        Map<String, String> env = environment(task, scope, vars);
        HostOps withEnv = env.isEmpty() ? ops : new EnvHostOps(ops, env);
        boolean diff = TaskRunner.bool(t, scope.keyword(task.keywords(), "diff"), vars, pos, play.run.options.diff());
        ModuleResult r = module.run(new TaskRunner.Context(validated, withEnv, host, check, diff, scope, play, vars, pos));
        Map<String, Object> out = new LinkedHashMap<>(r.values());
        if (out.get("ansible_facts") instanceof Map<?, ?> f) storeFacts(delegate != null && delegateFacts(task, vars) ? delegate : host, f);
        return out;
    }

    /**
     * A role's {@code meta/argument_specs.yml} checked against the parameters it was given: required options,
     * types (str, int, float, bool, list, dict, path, raw) and choices, with Ansible's message.
     */
    private Map<String, Object> validateArgumentSpec(Map<String, Object> args) {
        Map<?, ?> spec = args.get("argument_spec") instanceof Map<?, ?> m ? m : Map.of();
        Map<?, ?> given = args.get("provided_arguments") instanceof Map<?, ?> m ? m : Map.of();
        List<String> errors = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        spec.forEach((name, rawOption) -> {
            Map<?, ?> option = rawOption instanceof Map<?, ?> o ? o : Map.of();
            Object value = given.get(name);
            if (value == null) {
                if (Boolean.TRUE.equals(option.get("required"))) missing.add(String.valueOf(name));
                return;
            }
            String type = option.get("type") == null ? "str" : String.valueOf(option.get("type"));
            if (!typeMatches(type, value)) {
                errors.add("argument '" + name + "' is of type " + pyType(value) + " and we were unable to convert to " + type);
            }
            if (option.get("choices") instanceof List<?> choices && !choices.contains(value)
                    && !choices.stream().map(String::valueOf).toList().contains(String.valueOf(value))) {
                errors.add("value of " + name + " must be one of: " + String.join(", ", choices.stream().map(String::valueOf).toList())
                        + ", got: " + value);
            }
        });
        if (!missing.isEmpty()) errors.add(0, "missing required arguments: " + String.join(", ", missing));
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("argument_errors", errors);
        r.put("argument_spec_data", spec);
        r.put("changed", false);
        if (!errors.isEmpty()) {
            r.put("failed", true);
            r.put("msg", "Validation of arguments failed:\n" + String.join("\n", errors));
        } else {
            r.put("msg", "The arg spec validation passed");
        }
        r.put("validate_args_context", args.get("validate_args_context"));
        return r;
    }

    private static boolean typeMatches(String type, Object v) {
        switch (type) {
            case "int":
                return v instanceof Integer || v instanceof Long || String.valueOf(v).matches("-?\\d+");
            case "float":
                return v instanceof Number || String.valueOf(v).matches("-?\\d+(\\.\\d*)?([eE][-+]?\\d+)?");
            case "bool":
                try {
                    dev.drover.modules.ArgSpec.toBool(null, v);
                    return true;
                } catch (IllegalArgumentException e) {
                    return false;
                }
            case "list":
                return v instanceof List || v instanceof String;
            case "dict":
                return v instanceof Map;
            case "str":
            case "path":
                return !(v instanceof Map) && !(v instanceof List);
            default:
                return true;
        }
    }

    private static String pyType(Object v) {
        if (v instanceof Map) return "dict";
        if (v instanceof List) return "list";
        if (v instanceof Boolean) return "bool";
        if (v instanceof Integer || v instanceof Long) return "int";
        if (v instanceof Number) return "float";
        return "str";
    }

    /** The state of an {@code async}/{@code poll: 0} job; {@code mode: cleanup} forgets it. */
    private Map<String, Object> asyncStatus(Map<String, Object> args, Position pos) throws InterruptedException {
        Object jid = args.get("jid");
        if (jid == null) throw new UserError(pos, "async_status: missing required argument 'jid'");
        java.util.concurrent.Future<Map<String, Object>> job = play.run.asyncJobs.get(String.valueOf(jid));
        if (job == null) return Results.failed("could not find job " + jid);
        if ("cleanup".equals(args.get("mode"))) {
            play.run.asyncJobs.remove(String.valueOf(jid));
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("ansible_job_id", jid);
            r.put("changed", false);
            r.put("erased", String.valueOf(jid));
            return r;
        }
        Map<String, Object> r = new LinkedHashMap<>();
        if (!job.isDone()) {
            r.put("ansible_job_id", jid);
            r.put("changed", false);
            r.put("finished", 0);
            r.put("started", 1);
            return r;
        }
        try {
            r.putAll(job.get());
        } catch (java.util.concurrent.ExecutionException e) {
            r.putAll(Results.failed(String.valueOf(e.getCause().getMessage())));
        }
        r.put("ansible_job_id", jid);
        r.put("finished", 1);
        return r;
    }

    private Map<String, Object> facts(String host, Map<String, Object> facts) {
        storeFacts(host, facts);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ansible_facts", facts);
        m.put("changed", false);
        return m;
    }

    private void storeFacts(String host, Map<?, ?> facts) {
        HostState st = play.run.host(host);
        facts.forEach((k, v) -> {
            String key = String.valueOf(k);
            st.facts.put(key.startsWith("ansible_") ? key.substring(8) : key, v);
        });
        st.factsGathered = true;
    }

    private boolean delegateFacts(Task task, LayeredVars vars) {
        return TaskRunner.bool(play.run.templar, task.keywords().get("delegate_facts"), vars, task.pos(), false);
    }

    /** Gathers facts for a host (the play's implicit "Gathering Facts" task). */
    Map<String, Object> gatherFacts(String host, Scope scope) throws IOException {
        LayeredVars vars = play.vars(host, scope, Map.of());
        HostOps ops = play.run.hostAccess.open(host, connectionVars(host, vars), become(scope, Map.of(), vars, play.play.pos()));
        return facts(host, ops.facts());
    }

    HostOps open(Task task, String host, String target, Scope scope, LayeredVars vars) throws IOException {
        LayeredVars targetVars = target.equals(host) ? vars : delegatedVars(target);
        return play.run.hostAccess.open(target, connectionVars(target, targetVars),
                become(scope, task.keywords(), vars, task.pos()));
    }

    /** A delegated host's own connection variables (Ansible: connection settings come from the delegate). */
    private LayeredVars delegatedVars(String target) {
        Inventory inv = play.run.inventory.get();
        if (inv.host(target) != null) return play.vars(target, Scope.EMPTY, Map.of());
        Map<String, Object> m = new LinkedHashMap<>();
        if (Inventory.LOCALHOST_NAMES.contains(target)) m.put("ansible_connection", "local");
        else m.put("ansible_host", target);
        return new LayeredVars.Builder().add(m).build();
    }

    Map<String, Object> connectionVars(String host, Vars vars) {
        Templar t = play.run.templar;
        Map<String, Object> m = new LinkedHashMap<>();
        for (String name : CONNECTION_VARS) {
            Object raw = vars.lookup(name);
            if (raw != Vars.MISSING && raw != null) m.put(name, t.template(raw, vars, play.play.pos()));
        }
        Map<String, Object> kw = play.play.keywords();
        if (!m.containsKey("ansible_user") && !m.containsKey("ansible_ssh_user")) {
            Object ru = kw.get("remote_user");
            if (ru != null) m.put("ansible_user", t.template(ru, vars, play.play.pos()));
            else if (play.run.options.remoteUser() != null) m.put("ansible_user", play.run.options.remoteUser());
        }
        if (!m.containsKey("ansible_connection")) {
            Object c = kw.get("connection");
            if (c != null) m.put("ansible_connection", t.template(c, vars, play.play.pos()));
            else if (play.run.options.connection() != null) m.put("ansible_connection", play.run.options.connection());
            else if (Inventory.LOCALHOST_NAMES.contains(host) && play.run.inventory.get().host(host) == null) m.put("ansible_connection", "local");
        }
        if (!m.containsKey("ansible_port") && kw.get("port") != null) m.put("ansible_port", kw.get("port"));
        if (!m.containsKey("ansible_ssh_private_key_file") && play.run.options.privateKey() != null) {
            m.put("ansible_ssh_private_key_file", play.run.options.privateKey().toString());
        }
        if (!m.containsKey("ansible_timeout") && play.run.options.timeout() != null) m.put("ansible_timeout", play.run.options.timeout());
        return m;
    }

    Become become(Scope scope, Map<String, Object> taskKw, Vars vars, Position pos) {
        Templar t = play.run.templar;
        Object b = scope.keyword(taskKw, "become");
        Object becomeVar = vars.lookup("ansible_become");
        boolean enabled = b != null ? t.condition(b, vars, pos)
                : becomeVar != Vars.MISSING && becomeVar != null ? t.condition(becomeVar, vars, pos) : play.run.options.become();
        if (!enabled) return Become.NONE;
        String user = firstOf(t, pos, vars, scope.keyword(taskKw, "become_user"), "ansible_become_user", play.run.options.becomeUser(), "root");
        String method = firstOf(t, pos, vars, scope.keyword(taskKw, "become_method"), "ansible_become_method", play.run.options.becomeMethod(), "sudo");
        String flags = firstOf(t, pos, vars, scope.keyword(taskKw, "become_flags"), "ansible_become_flags", null, null);
        String password = firstOf(t, pos, vars, null, "ansible_become_password", null, null);
        if (password == null) password = firstOf(t, pos, vars, null, "ansible_become_pass", null, null);
        Become.Method m = switch (method) {
            case "sudo" -> Become.Method.SUDO;
            case "su" -> Become.Method.SU;
            default -> throw UserError.expected(pos, "become_method", "sudo or su", method);
        };
        return new Become(true, user, m, flags, password, null, null);
    }

    /** A keyword if set, else a variable, else a command-line value, else a default; templated. */
    private static String firstOf(Templar t, Position pos, Vars vars, Object keyword, String var, String cli, String def) {
        if (keyword != null) return String.valueOf(t.template(keyword, vars, pos));
        Object v = vars.lookup(var);
        if (v != Vars.MISSING && v != null) return String.valueOf(t.template(v, vars, pos));
        return cli != null ? cli : def;
    }

    private boolean checkMode(Task task, Scope scope, LayeredVars vars) {
        Object c = scope.keyword(task.keywords(), "check_mode");
        return c == null ? play.run.options.check() : play.run.templar.condition(c, vars, task.pos());
    }

    private Map<String, String> environment(Task task, Scope scope, LayeredVars vars) {
        Map<String, String> env = new LinkedHashMap<>();
        Object playEnv = play.play.keywords().get("environment");
        Templar t = play.run.templar;
        List<Object> sources = new ArrayList<>();
        if (playEnv != null) sources.add(playEnv);
        if (!scope.environment().isEmpty()) sources.add(scope.environment());
        if (task.keywords().get("environment") != null) sources.add(task.keywords().get("environment"));
        for (Object src : sources) {
            Object v = t.template(src, vars, task.pos());
            if (v instanceof Map<?, ?> m) m.forEach((k, val) -> {
                if (!Templar.OMIT.equals(val)) env.put(String.valueOf(k), val == null ? "" : val instanceof String s ? s : Templar.toPython(val));
            });
            else if (v != null) throw UserError.expected(task.pos(), "environment", "a mapping of variable names to values", v);
        }
        return env;
    }

    private Map<String, Object> debug(Task task, Map<String, Object> args, LayeredVars vars) {
        Map<String, Object> r = new LinkedHashMap<>();
        Object verbosity = args.get("verbosity");
        if (verbosity != null && play.run.options.verbosity() < TaskRunner.toInt(verbosity, "verbosity", task.pos())) {
            return Results.skipped("Verbosity threshold not met.");
        }
        if (args.containsKey("var")) {
            Object raw = task.args().get("var");
            String expr = String.valueOf(raw);
            Object value;
            try {
                value = play.run.templar.evaluate(expr, vars, task.pos());
            } catch (dev.drover.template.TemplateError e) {
                value = "VARIABLE IS NOT DEFINED!";
            }
            r.put(expr, value);
        } else {
            r.put("msg", args.getOrDefault("msg", "Hello world!"));
        }
        r.put("changed", false);
        r.put("_ansible_verbose_always", true);
        return r;
    }

    private Map<String, Object> setFact(String host, Map<String, Object> args) {
        Map<String, Object> facts = new LinkedHashMap<>(args);
        Object cacheable = facts.remove("cacheable");
        HostState st = play.run.host(host);
        st.hostVars.putAll(facts);
        if (cacheable != null && dev.drover.modules.ArgSpec.toBool(null, cacheable)) st.facts.putAll(facts);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("ansible_facts", facts);
        r.put("changed", false);
        return r;
    }

    private Map<String, Object> assertThat(Task task, Map<String, Object> args, LayeredVars vars) {
        Object that = task.args().get("that");
        if (that == null) throw new UserError(task.pos(), "assert: missing required argument 'that'");
        List<Object> conditions = that instanceof List<?> l ? new ArrayList<>(l) : List.of(that);
        boolean quiet = args.get("quiet") != null && dev.drover.modules.ArgSpec.toBool(null, args.get("quiet"));
        for (Object c : conditions) {
            if (!play.run.templar.condition(c, vars, task.pos())) {
                Map<String, Object> r = new LinkedHashMap<>();
                Object msg = args.containsKey("fail_msg") ? args.get("fail_msg") : args.getOrDefault("msg", "Assertion failed");
                r.put("assertion", c);
                r.put("changed", false);
                r.put("evaluated_to", false);
                r.put("failed", true);
                r.put("msg", msg);
                return r;
            }
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("changed", false);
        r.put("msg", args.getOrDefault("success_msg", "All assertions passed"));
        if (!quiet) r.put("_ansible_verbose_always", true);
        return r;
    }

    private Map<String, Object> addHost(Map<String, Object> args, Position pos) {
        Map<String, Object> a = new LinkedHashMap<>(args);
        Object name = first(a, "name", "host", "hostname");
        if (name == null) throw new UserError(pos, "add_host: missing required argument 'name'");
        Object groups = first(a, "groups", "group", "groupname");
        List<String> groupList = new ArrayList<>();
        if (groups instanceof List<?> l) l.forEach(g -> groupList.add(String.valueOf(g)));
        else if (groups != null) for (String g : String.valueOf(groups).split(",")) if (!g.isBlank()) groupList.add(g.trim());
        String hostName = String.valueOf(name);
        int colon = hostName.lastIndexOf(':');
        if (colon > 0 && hostName.indexOf(':') == colon && hostName.substring(colon + 1).matches("\\d+")) {
            a.put("ansible_port", Integer.parseInt(hostName.substring(colon + 1)));
            hostName = hostName.substring(0, colon);
        }
        String h = hostName;
        play.run.inventory.updateAndGet(inv -> inv.withHost(h, groupList, a));
        play.refreshShared();
        Map<String, Object> added = new LinkedHashMap<>();
        added.put("groups", groupList);
        added.put("host_name", h);
        added.put("host_vars", a);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("add_host", added);
        r.put("changed", false);
        return r;
    }

    private Map<String, Object> groupBy(String host, Map<String, Object> args, Position pos) {
        Object key = args.get("key");
        if (key == null) throw new UserError(pos, "group_by: missing required argument 'key'");
        String group = String.valueOf(key).replaceAll("[^A-Za-z0-9_]", "_");
        List<String> parents = new ArrayList<>();
        Object p = args.get("parents");
        if (p instanceof List<?> l) l.forEach(x -> parents.add(String.valueOf(x)));
        else if (p != null) parents.add(String.valueOf(p));
        play.run.inventory.updateAndGet(inv -> inv.withGroupMember(group, host, parents));
        play.refreshShared();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("add_group", group);
        r.put("changed", false);
        r.put("parent_groups", parents.isEmpty() ? List.of("all") : parents);
        return r;
    }

    private Map<String, Object> includeVars(String host, Scope scope, Map<String, Object> args, Position pos) throws IOException {
        Object file = first(new LinkedHashMap<>(args), "file", "_raw_params");
        Object dir = args.get("dir");
        List<Path> files = new ArrayList<>();
        if (file != null) {
            files.add(TaskRunner.Files.search("vars", String.valueOf(file), scope.role(), play.baseDir(), pos));
        } else if (dir != null) {
            Path d = TaskRunner.Files.search("vars", String.valueOf(dir), scope.role(), play.baseDir(), pos);
            try (Stream<Path> s = Files.walk(d)) {
                s.filter(Files::isRegularFile).filter(f -> f.toString().matches(".*\\.(ya?ml|json)$")).sorted().forEach(files::add);
            }
        } else {
            throw new UserError(pos, "include_vars: expected 'file' (or a file name) or 'dir'");
        }
        Map<String, Object> loaded = new LinkedHashMap<>();
        List<String> names = new ArrayList<>();
        for (Path f : files) {
            loaded.putAll(play.run.loader.readVarsFile(f));
            names.add(f.toString());
        }
        Object name = args.get("name");
        Map<String, Object> toStore = name == null ? loaded : Map.of(String.valueOf(name), loaded);
        play.run.host(host).includeVars.putAll(toStore);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("ansible_included_var_files", names);
        r.put("changed", false);
        return r;
    }

    private Map<String, Object> pause(Map<String, Object> args, Position pos) throws InterruptedException {
        double seconds = 0;
        if (args.get("seconds") != null) seconds = TaskRunner.toDouble(args.get("seconds"), "seconds", pos);
        if (args.get("minutes") != null) seconds += 60 * TaskRunner.toDouble(args.get("minutes"), "minutes", pos);
        if (seconds == 0 && args.get("prompt") != null) {
            play.run.sink.on(new dev.drover.report.Event.Warning("pause: prompts are not answered in a non-interactive run; continuing"));
        }
        long start = System.currentTimeMillis();
        TaskRunner.sleepSeconds(seconds);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("changed", false);
        r.put("delta", (System.currentTimeMillis() - start) / 1000);
        r.put("stdout", "Paused for " + (seconds >= 60 ? seconds / 60 + " minutes" : seconds + " seconds"));
        r.put("user_input", "");
        return r;
    }

    private static Object first(Map<String, Object> args, String... names) {
        for (String n : names) if (args.get(n) != null) return args.remove(n);
        return null;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> withoutOmitted(Object templated) {
        Map<String, Object> out = new LinkedHashMap<>();
        ((Map<String, Object>) templated).forEach((k, v) -> {
            if (!Templar.OMIT.equals(v)) out.put(k, v);
        });
        return out;
    }

    /** Adds the task's {@code environment} to every command a module runs. */
    private record EnvHostOps(HostOps delegate, Map<String, String> env) implements HostOps {
        @Override
        public ExecResult exec(ExecSpec spec) throws IOException {
            Map<String, String> merged = new LinkedHashMap<>(env);
            merged.putAll(spec.env());
            return delegate.exec(spec.withEnv(merged));
        }

        @Override
        public FileStat stat(String path, boolean checksum, boolean follow) throws IOException {
            return delegate.stat(path, checksum, follow);
        }

        @Override
        public FileStat writeFile(String path, byte[] content, FileAttrs attrs) throws IOException {
            return delegate.writeFile(path, content, attrs);
        }

        @Override
        public byte[] readFile(String path) throws IOException {
            return delegate.readFile(path);
        }

        @Override
        public FileStat mkdirs(String path, FileAttrs attrs) throws IOException {
            return delegate.mkdirs(path, attrs);
        }

        @Override
        public boolean setAttrs(String path, FileAttrs attrs) throws IOException {
            return delegate.setAttrs(path, attrs);
        }

        @Override
        public void symlink(String target, String link) throws IOException {
            delegate.symlink(target, link);
        }

        @Override
        public boolean remove(String path, boolean recursive) throws IOException {
            return delegate.remove(path, recursive);
        }

        @Override
        public Map<String, Object> facts() throws IOException {
            return delegate.facts();
        }

        @Override
        public String mode() {
            return delegate.mode();
        }

        @Override
        public void close() {
            // the underlying primitives belong to HostAccess
        }
    }
}
